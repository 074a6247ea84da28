// Pins os.date's format expansion on a fixed broken-down time (2009-02-13 23:31:30 UTC, a
// Friday), in the C locale. Expected strings are what lua5.4 printed for
// os.date("!...", 1234567890).
#include "lib/os_date.h"

#include <gtest/gtest.h>

#include <clocale>
#include <ctime>

namespace lunette {
namespace {

std::tm fixedTime() {
  std::tm t{};
  t.tm_year = 2009 - 1900;
  t.tm_mon = 1;
  t.tm_mday = 13;
  t.tm_hour = 23;
  t.tm_min = 31;
  t.tm_sec = 30;
  t.tm_wday = 5;
  t.tm_yday = 43;
  t.tm_isdst = 0;
  return t;
}

std::string expand(std::string_view format) {
  DateFormatResult result = formatDate(format, fixedTime());
  EXPECT_TRUE(result.ok) << format;
  return result.text;
}

std::string rejected(std::string_view format) {
  DateFormatResult result = formatDate(format, fixedTime());
  EXPECT_FALSE(result.ok) << format;
  return result.badSpecifier;
}

class OsDate : public ::testing::Test {
 protected:
  void SetUp() override { std::setlocale(LC_ALL, "C"); }
};

TEST_F(OsDate, ExpandsTheCLocaleDateAndTime) {
  EXPECT_EQ(expand("%c"), "Fri Feb 13 23:31:30 2009");
  EXPECT_EQ(expand("%x|%X"), "02/13/09|23:31:30");
}

TEST_F(OsDate, ExpandsEverySingleLetterConversion) {
  EXPECT_EQ(expand("%a %A %b %B %C %d %D %e %F"),
            "Fri Friday Feb February 20 13 02/13/09 13 2009-02-13");
  EXPECT_EQ(expand("%g %G %h %H %I %j %m %M"), "09 2009 Feb 23 11 044 02 31");
  EXPECT_EQ(expand("%n%p %r %R %S%t%T"), "\nPM 11:31:30 PM 23:31 30\t23:31:30");
  EXPECT_EQ(expand("%u %U %V %w %W %y %Y %%"), "5 06 07 5 06 09 2009 %");
}

TEST_F(OsDate, ExpandsModifiedConversionsLikeTheirPlainForms) {
  EXPECT_EQ(expand("%Ec|%EC|%Ex|%EX|%Ey|%EY"),
            "Fri Feb 13 23:31:30 2009|20|02/13/09|23:31:30|09|2009");
  EXPECT_EQ(expand("%Od|%Oe|%OH|%OI|%Om|%OM|%OS"), "13|13|23|11|02|31|30");
  EXPECT_EQ(expand("%Ou|%OU|%OV|%Ow|%OW|%Oy"), "5|06|07|5|06|09");
}

TEST_F(OsDate, CopiesLiteralTextIncludingNulBytes) {
  EXPECT_EQ(expand(""), "");
  EXPECT_EQ(expand("year %Y!"), "year 2009!");
  EXPECT_EQ(expand(std::string_view("a\0b", 3)), std::string("a\0b", 3));
}

TEST_F(OsDate, QuotesTheRestOfTheFormatForAnUnknownConversion) {
  EXPECT_EQ(rejected("%Q"), "%Q");
  EXPECT_EQ(rejected("x %Ez abc"), "%Ez abc");
  EXPECT_EQ(rejected("%Oz"), "%Oz");
  EXPECT_EQ(rejected("%Y %i"), "%i");
}

TEST_F(OsDate, RejectsATrailingPercentOrModifier) {
  EXPECT_EQ(rejected("%"), "%");
  EXPECT_EQ(rejected("%E"), "%E");
  EXPECT_EQ(rejected("%O"), "%O");
}

TEST_F(OsDate, StopsTheQuotedRestAtAnEmbeddedNul) {
  EXPECT_EQ(rejected(std::string_view("%q\0tail", 7)), "%q");
}

}  // namespace
}  // namespace lunette
