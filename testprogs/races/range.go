package main

import (
	"fmt"
	"strings"
)

func priceKey(i int) string { return fmt.Sprintf("sku-%04d", i) }

func runRange() {
	prices := make(map[string]float64)
	for i := 0; i < 600; i++ {
		prices[priceKey(i)] = float64(i) * 1.25
	}
	settle(prices)
	mapReady(len(prices)) // watch range: prices
	gate.expect(2)
	go report(prices)
	go reprice(prices)
	gate.publish(prices, "", "concurrent map iteration and map write")
}

// report renders the price list over and over.
func report(prices map[string]float64) {
	gate.accessor(false)
	for {
		total, width := 0.0, 0
		for sku, price := range prices {
			line := fmt.Sprintf("%-10s %9.2f", strings.ToUpper(sku), price)
			width += len(line)
			total += price
		}
		use(width + int(total))
	}
}

// reprice adjusts prices, adding SKUs as they come.
func reprice(prices map[string]float64) {
	gate.accessor(true)
	for i := 0; ; i++ {
		prices[priceKey(i%600)] = float64(i%1000) * 0.99
	}
}
