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
//     stray '<') is an error;
//   * the text must be valid UTF-8 (or US-ASCII) unless the XML declaration
//     names ISO-8859-1 / Latin-1, which is transcoded to UTF-8 first; any
//     other declared encoding is refused, and so is a NUL byte (XML 1.0
//     allows neither), so every label handed on is valid UTF-8.
// Every error is goodwill::invalid_input with the field "xml" and the one
// prefix "SOURCE:LINE: " (SOURCE the file path, or "<string>") before the
// reason; callers add nothing in front of it. We wrote our own rather than link
// libxml2/expat: those parse far more (DTDs, entities) and must be configured
// to be safe; here the unsafe features do not exist, the code is a few
// hundred lines, header-only (the rest of goodwill's parsing needs no
// separate library either).
#ifndef GOODWILL_DETAIL_XML_HPP
#define GOODWILL_DETAIL_XML_HPP

#include <goodwill/error.hpp>

#include <algorithm>
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
  parser(std::string_view text, limits lim, std::string source = "<string>")
      : s_(text), lim_(lim), source_(std::move(source)) {}

  element parse_document() {
    if (s_.size() > lim_.max_bytes)
      fail("document is " + std::to_string(s_.size()) + " bytes, more than the limit of " +
           std::to_string(lim_.max_bytes));
    if (s_.substr(0, 3) == "\xEF\xBB\xBF")
      pos_ = 3;
    check_text();
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
    throw invalid_input("xml", source_ + ":" + std::to_string(line()) + ": " + what);
  }
  [[noreturn]] void fail_at(std::size_t at, const std::string &what) const {
    pos_ = at;
    fail(what);
  }
  // Whole-text checks before parsing: no NUL byte, valid UTF-8.
  void check_text() const {
    const auto n = s_.size();
    const auto *u = reinterpret_cast<const unsigned char *>(s_.data());
    for (std::size_t i = pos_; i < n;) {
      const unsigned c = u[i];
      if (c < 0x80) {
        if (c == 0)
          fail_at(i, "NUL byte (byte offset " + std::to_string(i) +
                         "): not allowed in XML; the file is binary or UTF-16");
        ++i;
        continue;
      }
      std::size_t len = 0;
      std::uint32_t cp = 0, min = 0;
      if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, cp = c & 0x0F, min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
      }
      bool ok = len > 0 && i + len <= n;
      for (std::size_t j = 1; ok && j < len; ++j) {
        ok = (u[i + j] & 0xC0) == 0x80;
        cp = (cp << 6) | (u[i + j] & 0x3F);
      }
      ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      if (!ok) {
        static constexpr char hex[] = "0123456789ABCDEF";
        std::string b = "0x";
        b += hex[c >> 4];
        b += hex[c & 15];
        fail_at(i, "byte " + b + " at byte offset " + std::to_string(i) +
                       " is not valid UTF-8 (declare encoding=\"ISO-8859-1\" if the file is "
                       "Latin-1, or convert it to UTF-8)");
      }
      i += len;
    }
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
  std::string source_;
  mutable std::size_t pos_ = 0;
  std::size_t elements_ = 0;
  mutable std::size_t line_pos_ = 0;
  mutable std::size_t line_no_ = 1;
};

/// The encoding named by the XML declaration at the start of `text`
/// (lower-cased), or "" when there is none.
inline std::string declared_encoding(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  if (text.substr(0, 5) != "<?xml")
    return {};
  const auto end = text.find("?>");
  const auto decl = text.substr(0, end == std::string_view::npos ? text.size() : end);
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos)
    return {};
  auto p = decl.find_first_of("\"'", at);
  if (p == std::string_view::npos)
    return {};
  const auto q = decl.find(decl[p], p + 1);
  if (q == std::string_view::npos)
    return {};
  std::string enc(decl.substr(p + 1, q - p - 1));
  for (auto &c : enc)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return enc;
}

/// Parse a document held in memory; `source` names it in error messages.
/// Text declared ISO-8859-1 (Latin-1) is transcoded to UTF-8 first; text
/// declared UTF-8 or US-ASCII, or not declared, must be valid UTF-8.
inline element parse(std::string_view text, limits lim = {},
                     const std::string &source = "<string>") {
  const auto enc = declared_encoding(text);
  if (enc.empty() || enc == "utf-8" || enc == "utf8" || enc == "us-ascii" || enc == "ascii")
    return parser(text, lim, source).parse_document();
  if (enc == "iso-8859-1" || enc == "latin1" || enc == "latin-1" || enc == "iso8859-1" ||
      enc == "l1") {
    if (text.size() > lim.max_bytes)
      return parser(text, lim, source).parse_document(); // refused there, by size
    std::string utf8;
    utf8.reserve(text.size() + text.size() / 8);
    for (char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x80) {
        utf8 += ch;
      } else {
        utf8 += static_cast<char>(0xC0 | (c >> 6));
        utf8 += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    // The limit applies to the file as written, not to its UTF-8 form.
    lim.max_bytes = std::max(lim.max_bytes, utf8.size());
    return parser(utf8, lim, source).parse_document();
  }
  throw invalid_input("xml", source + ":1: the declared encoding '" + enc +
                                 "' is not supported (UTF-8, US-ASCII or ISO-8859-1)");
}

/// Read and parse a file, refusing files above the size limit before reading.
inline element parse_file(const std::string &path, limits lim = {}) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw invalid_input("path", "cannot open '" + path + "'");
  const auto size = static_cast<std::size_t>(in.tellg());
  if (size > lim.max_bytes)
    throw invalid_input("xml", path + ":1: the file is " + std::to_string(size) +
                                   " bytes, more than the limit of " +
                                   std::to_string(lim.max_bytes));
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  return parse(text, lim, path);
}

} // namespace goodwill::detail::xml

#endif // GOODWILL_DETAIL_XML_HPP
