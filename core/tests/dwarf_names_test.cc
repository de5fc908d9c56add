// Go's spelling of DWARF type names: what --type, type assertions and map
// headers by name are matched against.
#include <gtest/gtest.h>

#include "binary/dwarf_index.h"

namespace gomapdbg {
namespace {

TEST(GoTypeName, DropsTheVargenSuffixOfFunctionLocalTypes) {
  EXPECT_EQ(go_type_name("main.local\u00b71"), "main.local");
  EXPECT_EQ(go_type_name("main.local\u00b712"), "main.local");
  EXPECT_EQ(go_type_name("[]main.local\u00b71"), "[]main.local");
  EXPECT_EQ(go_type_name("map[main.k\u00b71]*main.v\u00b72"), "map[main.k]*main.v");
}

TEST(GoTypeName, KeepsEveryOtherMiddleDot) {
  EXPECT_EQ(go_type_name("main.Point"), "main.Point");
  EXPECT_EQ(go_type_name("main.x\u00b7y"), "main.x\u00b7y");
  EXPECT_EQ(go_type_name("main.x\u00b7"), "main.x\u00b7");
  EXPECT_EQ(go_type_name(""), "");
}

}  // namespace
}  // namespace gomapdbg
