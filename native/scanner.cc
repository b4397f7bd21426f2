// engine1's native line scanner: validates every line of a block of JSON Lines with simdjson's DOM
// parser and builds, for each JSON object, a reduced JS object holding only what
// src/store/pick.ts's extractRawPick (and pickIdOf) can observe. The JS side (src/scan/native.ts)
// finishes the classification with the reference code, so the classes and values stay exactly
// JSON.parse's. Any line the native code is not sure about is marked "fallback" and re-read in JS.
//
// scan(block: Uint8Array, keys: string[], names: string[]) -> [codes: Uint8Array, objects: object[], fallbacks: Float64Array]
//   codes:     one per line: 0 object (next entry of `objects`), 1 blank, 2 parse_error,
//              3 not_object, 5 fallback (next [start, end) pair of `fallbacks`, byte offsets in the block)
//   keys:      top-level keys copied in full (every other top-level key is left out, except
//              "ai_breakdown" and "scoring_breakdown", which are reduced, see buildBreakdown/buildScoring)
//   names:     NAME_TEXT below, in that order (checked)
// implementation() -> the simdjson kernel chosen at run time (e.g. "icelake", "haswell")

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "simdjson.h"

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// By value: a range-for over value_unsafe() of a temporary result would dangle.
inline simdjson::dom::object objectOf(element e) {
  simdjson::dom::object o = e.get_object().value_unsafe();
  return o;
}
inline simdjson::dom::array arrayOf(element e) {
  simdjson::dom::array a = e.get_array().value_unsafe();
  return a;
}

constexpr uint8_t CODE_OBJECT = 0;
constexpr uint8_t CODE_BLANK = 1;
constexpr uint8_t CODE_PARSE_ERROR = 2;
constexpr uint8_t CODE_NOT_OBJECT = 3;
constexpr uint8_t CODE_FALLBACK = 5;

// Lines longer than this go to the JS fallback, so the parser's buffers (about 14 bytes per
// input byte) stay small in every thread that scans.
constexpr size_t MAX_NATIVE_LINE = size_t(1) << 20;
constexpr size_t INITIAL_CAPACITY = size_t(64) << 10;

struct Scanner {
  simdjson::dom::parser parser;
  simdjson::dom::document doc;
  std::unique_ptr<uint8_t[]> padded;
  size_t capacity = 0;

  bool reserve(size_t len) {
    if (len <= capacity) return true;
    size_t want = capacity == 0 ? INITIAL_CAPACITY : capacity * 2;
    while (want < len) want *= 2;
    if (want > MAX_NATIVE_LINE) want = MAX_NATIVE_LINE;
    if (want < len) return false;
    if (parser.allocate(want) != simdjson::SUCCESS) return false;
    if (doc.allocate(want) != simdjson::SUCCESS) return false;
    // simdjson reads (never uses) up to SIMDJSON_PADDING bytes past a document's end.
    padded.reset(new (std::nothrow) uint8_t[want + simdjson::SIMDJSON_PADDING]);
    if (!padded) return false;
    std::memset(padded.get(), 0, want + simdjson::SIMDJSON_PADDING);
    capacity = want;
    return true;
  }
};

// The property names the reduced objects use. The JS side passes them in this order (as string
// literals, which V8 has internalized already, so setting them costs no string-table lookup).
enum Name {
  NAME_AI_BREAKDOWN,
  NAME_SCORING_BREAKDOWN,
  NAME_ERROR,
  NAME_FALLBACK,
  NAME_MODEL_STATUS,
  NAME_AI_MODE,
  NAME_RAW_INPUTS,
  NAME_MODEL_PREDS,
  NAME_VALUES,
  NAME_TIMEOUT,
  NAME_COUNT
};
const char* const NAME_TEXT[NAME_COUNT] = {"ai_breakdown", "scoring_breakdown", "error", "fallback", "model_status",
                                           "ai_mode", "raw_inputs", "model_preds", "values", "timeout"};

class Builder {
 public:
  Builder(napi_env env) : env_(env) {}

  napi_env env_;
  napi_value names[NAME_COUNT] = {};
  bool failed = false;
  // An integer zero was converted: "-0" loses its sign in simdjson's integer path.
  bool intZero = false;

  void check(napi_status status) {
    if (status != napi_ok) failed = true;
  }

  napi_value str(std::string_view s) {
    napi_value v = nullptr;
    check(napi_create_string_utf8(env_, s.data(), s.size(), &v));
    return v;
  }
  napi_value num(double d) {
    napi_value v = nullptr;
    check(napi_create_double(env_, d, &v));
    return v;
  }
  napi_value boolean(bool b) {
    napi_value v = nullptr;
    check(napi_get_boolean(env_, b, &v));
    return v;
  }
  napi_value null() {
    napi_value v = nullptr;
    check(napi_get_null(env_, &v));
    return v;
  }
  napi_value object() {
    napi_value v = nullptr;
    check(napi_create_object(env_, &v));
    return v;
  }
  // JSON.parse makes "__proto__" an own data property; a plain set would change the prototype.
  void setKey(napi_value object, napi_value key, bool proto, napi_value value) {
    if (failed) return;
    if (proto) {
      napi_property_descriptor d = {nullptr, key, nullptr, nullptr, nullptr, value, napi_default_jsproperty, nullptr};
      check(napi_define_properties(env_, object, 1, &d));
    } else {
      check(napi_set_property(env_, object, key, value));
    }
  }
  void setNamed(napi_value object, Name name, napi_value value) {
    if (failed) return;
    check(napi_set_property(env_, object, names[name], value));
  }

  // The whole value, as JSON.parse builds it.
  napi_value full(element e) {
    if (failed) return nullptr;
    switch (e.type()) {
      case element_type::STRING:
        return str(e.get_string().value_unsafe());
      case element_type::INT64: {
        int64_t i = e.get_int64().value_unsafe();
        if (i == 0) intZero = true;
        return num(double(i));
      }
      case element_type::UINT64:
        return num(double(e.get_uint64().value_unsafe()));
      case element_type::DOUBLE:
        return num(e.get_double().value_unsafe());
      case element_type::BOOL:
        return boolean(e.get_bool().value_unsafe());
      case element_type::NULL_VALUE:
        return null();
      case element_type::ARRAY: {
        napi_value array = nullptr;
        check(napi_create_array(env_, &array));
        uint32_t index = 0;
        for (element child : arrayOf(e)) {
          napi_value v = full(child);
          if (failed) return nullptr;
          check(napi_set_element(env_, array, index++, v));
        }
        return array;
      }
      case element_type::OBJECT: {
        napi_value obj = object();
        for (simdjson::dom::key_value_pair field : objectOf(e)) {
          if (failed) return nullptr;
          napi_value key = str(field.key);
          napi_value v = full(field.value);
          if (failed) return nullptr;
          setKey(obj, key, field.key == "__proto__", v);
        }
        return obj;
      }
    }
    failed = true;
    return nullptr;
  }

  // What extractRawPick's isSet says: not null, false, 0, "" or an empty array/object.
  static bool isSet(element e) {
    switch (e.type()) {
      case element_type::NULL_VALUE:
        return false;
      case element_type::BOOL:
        return e.get_bool().value_unsafe();
      case element_type::INT64:
        return e.get_int64().value_unsafe() != 0;
      case element_type::UINT64:
        return e.get_uint64().value_unsafe() != 0;
      case element_type::DOUBLE:
        return e.get_double().value_unsafe() != 0.0;  // -0 === 0 too
      case element_type::STRING:
        return !e.get_string().value_unsafe().empty();
      case element_type::ARRAY: {
        simdjson::dom::array a = arrayOf(e);
        return a.begin() != a.end();
      }
      case element_type::OBJECT: {
        simdjson::dom::object o = objectOf(e);
        return o.begin() != o.end();
      }
    }
    return true;
  }

  // A value only ever read as "a string or not" (upper(), pickIdOf): the string, else null.
  napi_value stringOrNull(element e) {
    if (e.type() == element_type::STRING) return str(e.get_string().value_unsafe());
    return null();
  }

  // ai_breakdown.raw_inputs.model_preds: an object keeps only "values" (in full); anything else
  // reads as "no values", like null.
  napi_value buildModelPreds(element e) {
    if (e.type() != element_type::OBJECT) return null();
    bool has = false;
    element values;
    for (simdjson::dom::key_value_pair field : objectOf(e)) {
      if (field.key == "values") {
        has = true;
        values = field.value;
      }
    }
    napi_value obj = object();
    if (has) setNamed(obj, NAME_VALUES, full(values));
    return obj;
  }

  // ai_breakdown.raw_inputs: its emptiness, and model_preds (reduced). A non-object reads as null.
  napi_value buildRawInputs(element e) {
    if (e.type() != element_type::OBJECT) return null();
    bool any = false;
    bool has = false;
    element preds;
    for (simdjson::dom::key_value_pair field : objectOf(e)) {
      any = true;
      if (field.key == "model_preds") {
        has = true;
        preds = field.value;
      }
    }
    napi_value obj = object();
    // A non-empty raw_inputs stays non-empty: model_preds (null when absent reads the same).
    if (any) setNamed(obj, NAME_MODEL_PREDS, has ? buildModelPreds(preds) : null());
    return obj;
  }

  napi_value buildBreakdown(element e) {
    if (e.type() != element_type::OBJECT) return null();
    element error, fallback, status, mode, raw;
    bool hasError = false, hasFallback = false, hasStatus = false, hasMode = false, hasRaw = false;
    for (simdjson::dom::key_value_pair field : objectOf(e)) {
      std::string_view k = field.key;
      if (k == "error") {
        hasError = true;
        error = field.value;
      } else if (k == "fallback") {
        hasFallback = true;
        fallback = field.value;
      } else if (k == "model_status") {
        hasStatus = true;
        status = field.value;
      } else if (k == "ai_mode") {
        hasMode = true;
        mode = field.value;
      } else if (k == "raw_inputs") {
        hasRaw = true;
        raw = field.value;
      }
    }
    napi_value obj = object();
    if (hasError) setNamed(obj, NAME_ERROR, boolean(isSet(error)));
    if (hasFallback) setNamed(obj, NAME_FALLBACK, boolean(isSet(fallback)));
    if (hasStatus) setNamed(obj, NAME_MODEL_STATUS, stringOrNull(status));
    if (hasMode) setNamed(obj, NAME_AI_MODE, stringOrNull(mode));
    if (hasRaw) setNamed(obj, NAME_RAW_INPUTS, buildRawInputs(raw));
    return obj;
  }

  napi_value buildScoring(element e) {
    if (e.type() != element_type::OBJECT) return null();
    element timeout, error;
    bool hasTimeout = false, hasError = false;
    for (simdjson::dom::key_value_pair field : objectOf(e)) {
      if (field.key == "timeout") {
        hasTimeout = true;
        timeout = field.value;
      } else if (field.key == "error") {
        hasError = true;
        error = field.value;
      }
    }
    napi_value obj = object();
    if (hasTimeout) setNamed(obj, NAME_TIMEOUT, boolean(isSet(timeout)));
    if (hasError) setNamed(obj, NAME_ERROR, boolean(isSet(error)));
    return obj;
  }
};

// The top-level keys copied in full, looked up by length first.
struct KeyTable {
  struct Entry {
    std::string name;
    size_t slot;
  };
  std::vector<std::vector<Entry>> byLength;

  void add(std::string name, size_t slot) {
    if (byLength.size() <= name.size()) byLength.resize(name.size() + 1);
    byLength[name.size()].push_back({std::move(name), slot});
  }
  // The slot of a key, or -1.
  long find(std::string_view key) const {
    if (key.size() >= byLength.size()) return -1;
    for (const Entry& e : byLength[key.size()]) {
      if (std::memcmp(e.name.data(), key.data(), key.size()) == 0) return long(e.slot);
    }
    return -1;
  }
};

// A "-0" integer token: "-0" between a delimiter ('[', ',', ':', whitespace or the line's start)
// and a delimiter (',', ']', '}', whitespace or the line's end). In a valid document, every such
// token outside strings is a number; the same text inside a string is a false positive that only
// sends the line to the fallback.
inline bool isTokenStart(uint8_t c) { return c == '[' || c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\r'; }
inline bool isTokenEnd(uint8_t c) { return c == ']' || c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\r'; }

bool hasNegativeZeroInteger(const uint8_t* line, size_t len) {
  const uint8_t* p = line;
  const uint8_t* end = line + len;
  while (p < end) {
    const void* hit = std::memchr(p, '-', size_t(end - p));
    if (hit == nullptr) return false;
    const uint8_t* m = static_cast<const uint8_t*>(hit);
    if (m + 1 < end && m[1] == '0' && (m == line || isTokenStart(m[-1])) && (m + 2 == end || isTokenEnd(m[2]))) return true;
    p = m + 1;
  }
  return false;
}

inline bool isAsciiBlank(const uint8_t* p, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uint8_t c = p[i];
    // What String.prototype.trim removes among ASCII bytes: space, \t, \n, \v, \f, \r.
    if (c != 0x20 && !(c >= 0x09 && c <= 0x0d)) return false;
  }
  return true;
}

void finalizeScanner(napi_env, void* data, void*) { delete static_cast<Scanner*>(data); }

Scanner* scannerOf(napi_env env) {
  void* data = nullptr;
  if (napi_get_instance_data(env, &data) != napi_ok) return nullptr;
  return static_cast<Scanner*>(data);
}

napi_value throwError(napi_env env, const char* message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, "ENGINE1_SCANNER", message);
  return nullptr;
}

napi_value Scan(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 3) {
    return throwError(env, "scan(block, keys, names) needs three arguments");
  }
  bool isTyped = false;
  napi_is_typedarray(env, argv[0], &isTyped);
  if (!isTyped) return throwError(env, "scan: block must be a Uint8Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value arraybuffer;
  size_t byteOffset = 0;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &arraybuffer, &byteOffset) != napi_ok ||
      type != napi_uint8_array) {
    return throwError(env, "scan: block must be a Uint8Array");
  }
  const uint8_t* block = static_cast<const uint8_t*>(data);

  bool isArray = false;
  napi_is_array(env, argv[1], &isArray);
  if (!isArray) return throwError(env, "scan: keys must be an array of strings");
  uint32_t keyCount = 0;
  napi_get_array_length(env, argv[1], &keyCount);
  std::vector<napi_value> keyValues(keyCount);
  std::vector<char> protoKey(keyCount);
  KeyTable table;
  for (uint32_t i = 0; i < keyCount; i++) {
    napi_value k;
    if (napi_get_element(env, argv[1], i, &k) != napi_ok) return throwError(env, "scan: bad keys");
    size_t n = 0;
    if (napi_get_value_string_utf8(env, k, nullptr, 0, &n) != napi_ok) return throwError(env, "scan: keys must be strings");
    std::string name(n, '\0');
    size_t copied = 0;
    napi_get_value_string_utf8(env, k, name.data(), n + 1, &copied);
    keyValues[i] = k;
    protoKey[i] = name == "__proto__";
    table.add(std::move(name), i);
  }

  Scanner* scanner = scannerOf(env);
  if (scanner == nullptr) return throwError(env, "scan: scanner state missing");

  Builder b(env);
  uint32_t nameCount = 0;
  if (napi_get_array_length(env, argv[2], &nameCount) != napi_ok || nameCount != NAME_COUNT) {
    return throwError(env, "scan: names must be an array of the addon's property names");
  }
  for (uint32_t i = 0; i < NAME_COUNT; i++) {
    char text[32];
    size_t n = 0;
    if (napi_get_element(env, argv[2], i, &b.names[i]) != napi_ok ||
        napi_get_value_string_utf8(env, b.names[i], text, sizeof text, &n) != napi_ok || std::strcmp(text, NAME_TEXT[i]) != 0) {
      return throwError(env, "scan: names must be the addon's property names, in its order");
    }
  }
  std::vector<uint8_t> codes;
  std::vector<double> fallbacks;
  napi_value objects = nullptr;
  b.check(napi_create_array(env, &objects));
  uint32_t objectCount = 0;
  std::vector<element> slots(keyCount);
  std::vector<char> present(keyCount);

  size_t start = 0;
  while (start < length && !b.failed) {
    const void* hit = std::memchr(block + start, '\n', length - start);
    if (hit == nullptr) break;  // a block holds complete lines only; bytes after the last "\n" are ignored
    size_t nl = size_t(static_cast<const uint8_t*>(hit) - block);
    size_t end = (nl > start && block[nl - 1] == '\r') ? nl - 1 : nl;
    const uint8_t* line = block + start;
    size_t len = end - start;
    size_t lineStart = start;
    start = nl + 1;

    auto fallback = [&]() {
      codes.push_back(CODE_FALLBACK);
      fallbacks.push_back(double(lineStart));
      fallbacks.push_back(double(lineStart + len));
    };

    if (len > MAX_NATIVE_LINE) {
      fallback();
      continue;
    }
    // What trim() removes among ASCII bytes; such a line is valid UTF-8 too.
    if (isAsciiBlank(line, len)) {
      codes.push_back(CODE_BLANK);
      continue;
    }
    // simdjson skips a leading BOM; JSON.parse does not (and trim() removes U+FEFF).
    if (len >= 3 && line[0] == 0xef && line[1] == 0xbb && line[2] == 0xbf) {
      fallback();
      continue;
    }
    if (!scanner->reserve(len)) {
      fallback();
      continue;
    }
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy (a memcpy
    // costs a few percent of the parse).
    std::memcpy(scanner->padded.get(), line, len);
    const uint8_t* input = scanner->padded.get();
    element root;
    if (scanner->parser.parse_into_document(scanner->doc, input, len, false).get(root) != simdjson::SUCCESS) {
      // JS: !isUtf8(bytes) -> parse_error, before anything else (simdjson's own check would do,
      // but its error code may name another fault found first).
      if (!simdjson::validate_utf8(reinterpret_cast<const char*>(line), len)) {
        codes.push_back(CODE_PARSE_ERROR);
        continue;
      }
      // Invalid JSON, but also what JSON.parse accepts and simdjson does not: numbers out of
      // range, big integers, lone surrogate escapes, nesting deeper than 1024, non-ASCII
      // whitespace that trim() removes. JSON.parse decides.
      fallback();
      continue;
    }
    // A successful parse has validated the whole line as UTF-8 (stage 1 always does), which is
    // what isUtf8 checks.
    if (root.type() != element_type::OBJECT) {
      codes.push_back(CODE_NOT_OBJECT);
      continue;
    }

    // Last occurrence wins, as in JSON.parse.
    std::fill(present.begin(), present.end(), 0);
    bool hasBreakdown = false, hasScoring = false;
    element breakdown, scoring;
    for (simdjson::dom::key_value_pair field : objectOf(root)) {
      std::string_view k = field.key;
      if (k == "ai_breakdown") {
        hasBreakdown = true;
        breakdown = field.value;
        continue;
      }
      if (k == "scoring_breakdown") {
        hasScoring = true;
        scoring = field.value;
        continue;
      }
      long slot = table.find(k);
      if (slot >= 0) {
        present[size_t(slot)] = 1;
        slots[size_t(slot)] = field.value;
      }
    }
    // One handle scope per record: the strings and numbers built for it are garbage once set,
    // and a block may hold many thousands of small records.
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) {
      b.failed = true;
      break;
    }
    b.intZero = false;
    napi_value obj = b.object();
    for (uint32_t i = 0; i < keyCount && !b.failed; i++) {
      if (present[i]) b.setKey(obj, keyValues[i], protoKey[i], b.full(slots[i]));
    }
    if (hasBreakdown) b.setNamed(obj, NAME_AI_BREAKDOWN, b.buildBreakdown(breakdown));
    if (hasScoring) b.setNamed(obj, NAME_SCORING_BREAKDOWN, b.buildScoring(scoring));
    bool negativeZero = !b.failed && b.intZero && hasNegativeZeroInteger(line, len);
    if (!b.failed && !negativeZero) b.check(napi_set_element(env, objects, objectCount++, obj));
    if (napi_close_handle_scope(env, scope) != napi_ok) b.failed = true;
    if (b.failed) break;
    if (negativeZero) {
      // simdjson reads "-0" as the integer 0; JSON.parse keeps the sign.
      fallback();
      continue;
    }
    codes.push_back(CODE_OBJECT);
  }
  if (b.failed) return throwError(env, "scan: building the result failed");

  napi_value codesBuffer, codesArray, fallbackBuffer, fallbackArray, result;
  void* out = nullptr;
  if (napi_create_arraybuffer(env, codes.size(), &out, &codesBuffer) != napi_ok) return throwError(env, "scan: out of memory");
  if (!codes.empty()) std::memcpy(out, codes.data(), codes.size());
  if (napi_create_typedarray(env, napi_uint8_array, codes.size(), codesBuffer, 0, &codesArray) != napi_ok) {
    return throwError(env, "scan: out of memory");
  }
  if (napi_create_arraybuffer(env, fallbacks.size() * sizeof(double), &out, &fallbackBuffer) != napi_ok) {
    return throwError(env, "scan: out of memory");
  }
  if (!fallbacks.empty()) std::memcpy(out, fallbacks.data(), fallbacks.size() * sizeof(double));
  if (napi_create_typedarray(env, napi_float64_array, fallbacks.size(), fallbackBuffer, 0, &fallbackArray) != napi_ok) {
    return throwError(env, "scan: out of memory");
  }
  if (napi_create_array_with_length(env, 3, &result) != napi_ok || napi_set_element(env, result, 0, codesArray) != napi_ok ||
      napi_set_element(env, result, 1, objects) != napi_ok || napi_set_element(env, result, 2, fallbackArray) != napi_ok) {
    return throwError(env, "scan: building the result failed");
  }
  return result;
}

napi_value Implementation(napi_env env, napi_callback_info) {
  const std::string& name = simdjson::get_active_implementation()->name();
  napi_value v;
  napi_create_string_utf8(env, name.data(), name.size(), &v);
  return v;
}

}  // namespace

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  // One parser per JS environment (the main thread and each worker get their own).
  Scanner* scanner = new (std::nothrow) Scanner();
  if (scanner == nullptr || napi_set_instance_data(env, scanner, finalizeScanner, nullptr) != napi_ok) {
    delete scanner;
    napi_throw_error(env, "ENGINE1_SCANNER", "could not create the scanner");
    return nullptr;
  }
  napi_property_descriptor props[] = {
      {"scan", nullptr, Scan, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"implementation", nullptr, Implementation, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  if (napi_define_properties(env, exports, 2, props) != napi_ok) return nullptr;
  return exports;
}
