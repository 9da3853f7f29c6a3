// goodwill — a small, safe XML reader for the scenario files goodwill imports.
//
// Design: a non-validating recursive-descent parser into a tiny DOM of
// elements and attributes (text content is kept trimmed). It is
// deliberately small so it can be deliberately strict:
//   * any DOCTYPE (and so any ENTITY declaration, internal or external) is
//     rejected: no external entities, no entity expansion;
//   * only the five predefined entities and numeric character references
//     are decoded; any other &name; is an error;
//   * input size, nesting depth, element count and attribute count are
//     bounded (limits below, adjustable by the caller);
//   * truncated or ill-formed input (unclosed tags, mismatched end tags,
//     stray '<') is an error.
// Every error is goodwill::invalid_input with the field "xml" and a message
// naming the problem and the line. We wrote our own rather than link
// libxml2/expat: those parse far more (DTDs, entities) and must be configured
// to be safe; here the unsafe features do not exist, the code is a few
// hundred lines and header-only like the rest of goodwill.
#ifndef GOODWILL_DETAIL_XML_HPP
#define GOODWILL_DETAIL_XML_HPP

#include <goodwill/error.hpp>

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goodwill::detail::xml {

/// Bounds on what the reader accepts.
struct limits {
  std::size_t max_bytes = 16u << 20;    ///< whole document
  std::size_t max_depth = 64;           ///< element nesting
  std::size_t max_elements = 1'000'000; ///< elements in the document
  std::size_t max_attributes = 64;      ///< per element
};

/// An element: name, attributes in document order, children, trimmed text.
struct element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<element> children;
  std::string text;
  std::size_t line = 0;

  /// The attribute's value, if present.
  [[nodiscard]] const std::string *attribute(std::string_view key) const noexcept {
    for (const auto &[k, v] : attributes)
      if (k == key)
        return &v;
    return nullptr;
  }
  /// Children with this name.
  [[nodiscard]] std::vector<const element *> all(std::string_view n) const {
    std::vector<const element *> out;
    for (const auto &c : children)
      if (c.name == n)
        out.push_back(&c);
    return out;
  }
  /// The first child with this name, if any.
  [[nodiscard]] const element *first(std::string_view n) const noexcept {
    for (const auto &c : children)
      if (c.name == n)
        return &c;
    return nullptr;
  }
};

class parser {
public:
  parser(std::string_view text, limits lim) : s_(text), lim_(lim) {}

  element parse_document() {
    if (s_.size() > lim_.max_bytes)
      fail("document is " + std::to_string(s_.size()) + " bytes, more than the limit of " +
           std::to_string(lim_.max_bytes));
    if (s_.substr(0, 3) == "\xEF\xBB\xBF")
      pos_ = 3;
    skip_misc();
    if (eof())
      fail("no root element (empty or truncated document)");
    element root = parse_element(1);
    skip_misc();
    if (!eof())
      fail("content after the root element");
    return root;
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    throw invalid_input("xml", "line " + std::to_string(line()) + ": " + what);
  }
  // Line of pos_, counted incrementally (pos_ only moves forward).
  std::size_t line() const noexcept {
    for (; line_pos_ < pos_ && line_pos_ < s_.size(); ++line_pos_)
      line_no_ += s_[line_pos_] == '\n';
    return line_no_;
  }
  bool eof() const noexcept { return pos_ >= s_.size(); }
  bool starts(std::string_view p) const noexcept { return s_.substr(pos_, p.size()) == p; }
  static bool space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() noexcept {
    while (!eof() && space(s_[pos_]))
      ++pos_;
  }
  void skip_past(std::string_view end, const char *what) {
    const auto p = s_.find(end, pos_);
    if (p == std::string_view::npos)
      fail(std::string("unterminated ") + what + " (truncated document?)");
    pos_ = p + end.size();
  }
  // Prolog/epilog: spaces, comments, processing instructions; DOCTYPE is refused.
  void skip_misc() {
    for (;;) {
      skip_space();
      if (starts("<?")) {
        skip_past("?>", "processing instruction");
      } else if (starts("<!--")) {
        skip_past("-->", "comment");
      } else if (starts("<!DOCTYPE") || starts("<!doctype") || starts("<!ENTITY")) {
        fail("DOCTYPE and ENTITY declarations are not accepted (no DTDs, no external or "
             "internal entities)");
      } else if (starts("<!")) {
        fail("markup declaration '<!' is not accepted here");
      } else {
        return;
      }
    }
  }
  static bool name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
  }
  std::string parse_name() {
    const auto b = pos_;
    while (!eof() && name_char(s_[pos_]))
      ++pos_;
    if (b == pos_)
      fail(eof() ? "unexpected end of document (truncated?)" : "expected a name");
    return std::string(s_.substr(b, pos_ - b));
  }
  static void put_utf8(std::string &out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // Decode &...; at pos_ (pos_ at '&') into out.
  void parse_reference(std::string &out) {
    const auto semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12)
      fail("'&' that does not start a reference (write &amp;)");
    const auto ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (ref == "lt")
      out += '<';
    else if (ref == "gt")
      out += '>';
    else if (ref == "amp")
      out += '&';
    else if (ref == "quot")
      out += '"';
    else if (ref == "apos")
      out += '\'';
    else if (ref.size() >= 2 && ref[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = ref[1] == 'x';
      const auto digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.size() > 8)
        fail("bad character reference &" + std::string(ref) + ";");
      for (char c : digits) {
        std::uint32_t d;
        if (c >= '0' && c <= '9')
          d = static_cast<std::uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        else
          fail("bad character reference &" + std::string(ref) + ";");
        cp = cp * (hex ? 16u : 10u) + d;
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        fail("character reference &" + std::string(ref) + "; is not a valid character");
      put_utf8(out, cp);
    } else {
      fail("entity &" + std::string(ref) +
           "; is not accepted (only &lt; &gt; &amp; &quot; &apos; and numeric references)");
    }
  }
  element parse_element(std::size_t depth) {
    if (depth > lim_.max_depth)
      fail("elements nested deeper than the limit of " + std::to_string(lim_.max_depth));
    if (++elements_ > lim_.max_elements)
      fail("more elements than the limit of " + std::to_string(lim_.max_elements));
    if (!starts("<"))
      fail("expected '<'");
    ++pos_;
    element e;
    e.line = line();
    e.name = parse_name();
    for (;;) {
      skip_space();
      if (eof())
        fail("unterminated start tag <" + e.name + "> (truncated document?)");
      if (starts("/>")) {
        pos_ += 2;
        return e;
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      auto key = parse_name();
      skip_space();
      if (eof() || s_[pos_] != '=')
        fail("attribute '" + key + "' of <" + e.name + "> has no value");
      ++pos_;
      skip_space();
      if (eof() || (s_[pos_] != '"' && s_[pos_] != '\''))
        fail("attribute '" + key + "' of <" + e.name + "> is not quoted");
      const char q = s_[pos_++];
      std::string value;
      while (!eof() && s_[pos_] != q) {
        if (s_[pos_] == '<')
          fail("'<' inside attribute '" + key + "'");
        if (s_[pos_] == '&')
          parse_reference(value);
        else
          value += s_[pos_++];
      }
      if (eof())
        fail("unterminated attribute '" + key + "' (truncated document?)");
      ++pos_;
      if (e.attribute(key))
        fail("duplicate attribute '" + key + "' on <" + e.name + ">");
      if (e.attributes.size() >= lim_.max_attributes)
        fail("more attributes on <" + e.name + "> than the limit of " +
             std::to_string(lim_.max_attributes));
      e.attributes.emplace_back(std::move(key), std::move(value));
    }
    // Content.
    for (;;) {
      if (eof())
        fail("element <" + e.name + "> is not closed (truncated document?)");
      const char c = s_[pos_];
      if (c == '<') {
        if (starts("</")) {
          pos_ += 2;
          const auto end = parse_name();
          if (end != e.name)
            fail("end tag </" + end + "> does not match <" + e.name + ">");
          skip_space();
          if (eof() || s_[pos_] != '>')
            fail("unterminated end tag </" + end + ">");
          ++pos_;
          break;
        }
        if (starts("<!--")) {
          skip_past("-->", "comment");
        } else if (starts("<![CDATA[")) {
          pos_ += 9;
          const auto p = s_.find("]]>", pos_);
          if (p == std::string_view::npos)
            fail("unterminated CDATA section (truncated document?)");
          e.text.append(s_.substr(pos_, p - pos_));
          pos_ = p + 3;
        } else if (starts("<?")) {
          skip_past("?>", "processing instruction");
        } else if (starts("<!")) {
          fail("DOCTYPE and ENTITY declarations are not accepted");
        } else {
          e.children.push_back(parse_element(depth + 1));
        }
      } else if (c == '&') {
        parse_reference(e.text);
      } else {
        e.text += c;
        ++pos_;
      }
    }
    // Trim text.
    const auto b = e.text.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
      e.text.clear();
    else
      e.text = e.text.substr(b, e.text.find_last_not_of(" \t\r\n") - b + 1);
    return e;
  }

  std::string_view s_;
  limits lim_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
  mutable std::size_t line_pos_ = 0;
  mutable std::size_t line_no_ = 1;
};

/// Parse a document held in memory.
inline element parse(std::string_view text, limits lim = {}) {
  return parser(text, lim).parse_document();
}

/// Read and parse a file, refusing files above the size limit before reading.
inline element parse_file(const std::string &path, limits lim = {}) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw invalid_input("path", "cannot open '" + path + "'");
  const auto size = static_cast<std::size_t>(in.tellg());
  if (size > lim.max_bytes)
    throw invalid_input("xml", "'" + path + "' is " + std::to_string(size) +
                                   " bytes, more than the limit of " +
                                   std::to_string(lim.max_bytes));
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  try {
    return parse(text, lim);
  } catch (const invalid_input &e) {
    throw invalid_input("xml", "'" + path + "': " + std::string(e.what()));
  }
}

} // namespace goodwill::detail::xml

#endif // GOODWILL_DETAIL_XML_HPP
