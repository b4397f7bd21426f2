// engine1's native line scanner: validates every line of a block of JSON Lines and builds, for each
// JSON object, a reduced JS object holding only what src/store/pick.ts's extractRawPick (and
// pickIdOf) can observe. The JS side (src/scan/native.ts) finishes the classification with the
// reference code, so the classes and values stay exactly JSON.parse's. Any line the native code is
// not sure about is marked "fallback" and re-read in JS.
//
// Two paths, the second one a check of the first:
//   fast: simdjson's stage 1 (UTF-8 validation, string and structural indexing, control characters
//         in strings) and, over its structural indexes, a validating walk of the JSON grammar that
//         builds no tape: numbers and atoms are checked in place, escapes once per line. It
//         notes where the few values engine1 reads are; only those are converted (strings without
//         escapes directly, anything else by a small simdjson DOM parse of that value's bytes).
//   dom:  simdjson's DOM parser on the whole line, as before. Whatever the fast path cannot settle
//         (an invalid line, an escaped key where a key matters, a value simdjson refuses, nesting
//         deeper than 1024, ...) goes there, and what simdjson refuses there goes to JSON.parse.
// The fast path only accepts what JSON.parse accepts: RFC 8259's grammar over valid UTF-8.
//
// scan(block: Uint8Array, keys: string[], names: string[]) -> [codes: Uint8Array, kinds: Uint8Array,
//     numbers: Float64Array, ascii: string, unicode: string, extras: unknown[], fallbacks: Float64Array]
//   codes:     one per line: 0 object read by the fast path (its values are the next KEYS + TAIL_COUNT
//              entries of `kinds`, see Kind and Tail below), 6 object read by the DOM path (the next
//              entry of `extras` is its reduced object), 1 blank, 2 parse_error, 3 not_object,
//              5 fallback (next [start, end) pair of `fallbacks`, byte offsets in the block)
//   kinds:     per fast-path record, one Kind per copied key (in `keys` order), then the Tail positions
//   numbers:   what the kinds consume, in order: a string's [start, end) in its text (UTF-16 units), a number
//   ascii:     the string values of the block's fast-path records that are ASCII, one after the other
//   unicode:   the other string values
//   extras:    arrays and objects (built as JSON.parse builds them), and the DOM path's reduced objects
//   keys:      top-level keys copied in full (every other top-level key is left out, except
//              "ai_breakdown" and "scoring_breakdown", which are reduced to what extractRawPick reads)
//   names:     NAME_TEXT below, in that order (checked; the DOM path's reduced objects use them)
// The JS side (src/scan/native.ts) turns a fast-path record into the same reduced object the DOM
// path builds, so that both go through the reference code alike.
// Lines are parsed in place when the block's ArrayBuffer has SIMDJSON_PADDING (64) readable bytes
// after the line (engine1's block buffers keep 64 bytes after every block); the others are copied.
// implementation() -> the simdjson kernel chosen at run time (e.g. "icelake", "haswell")
// lineCounts() -> [lines the fast path settled, lines the DOM path read], in this thread so far

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

// scanRange (reading a file through a mapping) where POSIX mmap and SIGBUS exist.
#if defined(__unix__) || defined(__APPLE__)
#define ENGINE1_MAPPED 1
#include <cerrno>
#include <csignal>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#define ENGINE1_MAPPED 0
#endif

// AVX2 for the numbers (compiled for x86-64 with GCC or Clang, used when the CPU has it).
#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define ENGINE1_AVX2 1
#include <immintrin.h>
#else
#define ENGINE1_AVX2 0
#endif


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
constexpr uint8_t CODE_BUILT = 6;

// Lines longer than this go to the JS fallback, so the parser's buffers (about 14 bytes per
// input byte) stay small in every thread that scans.
constexpr size_t MAX_NATIVE_LINE = size_t(1) << 20;
constexpr size_t INITIAL_CAPACITY = size_t(64) << 10;
// The fast path's nesting limit (simdjson's DOM parser has the same default): deeper lines take
// the DOM path, which hands them to JSON.parse.
constexpr uint32_t MAX_FAST_DEPTH = 1024;


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

// ---------------------------------------------------------------------------------------------
// Byte classes.

// JSON's whitespace (what JSON.parse skips between tokens).
inline bool isJsonSpace(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

constexpr uint8_t SCALAR_STRING = 0;
constexpr uint8_t SCALAR_NUMBER = 1;
constexpr uint8_t SCALAR_OTHER = 2;

struct ByteTables {
  // What may follow a number or an atom: JSON whitespace or one of {}[]:, — everything else outside
  // strings would be part of the same token (stage 1 does not index it), so it must be refused.
  bool terminator[256] = {};
  bool digit[256] = {};
  bool hex[256] = {};
  // What may follow a backslash (a "u" is checked further).
  bool escape[256] = {};
  // A value's first byte: string, number (SCALAR_NUMBER is 1: it counts numbers), or anything else.
  uint8_t scalar[256] = {};
  constexpr ByteTables() {
    for (int c = 0; c < 256; c++) scalar[c] = SCALAR_OTHER;
    scalar[int('"')] = SCALAR_STRING;
    scalar[int('-')] = SCALAR_NUMBER;
    for (int c = '0'; c <= '9'; c++) scalar[c] = SCALAR_NUMBER;
    for (int c : {' ', '\t', '\n', '\r', ',', ':', '[', ']', '{', '}'}) terminator[c] = true;
    for (int c = '0'; c <= '9'; c++) digit[c] = hex[c] = true;
    for (int c = 'a'; c <= 'f'; c++) hex[c] = true;
    for (int c = 'A'; c <= 'F'; c++) hex[c] = true;
    for (int c : {'"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u'}) escape[c] = true;
  }
};
constexpr ByteTables TABLES{};

#if (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) || defined(_WIN32)
constexpr bool LITTLE_ENDIAN_BYTES = true;
#else
constexpr bool LITTLE_ENDIAN_BYTES = false;
#endif

// A JSON number (RFC 8259) starting at p, followed by a terminator, byte by byte. The byte after
// a line is always "\r" or "\n", so the scan stops at the line's end at the latest.
inline bool validNumberBytes(const uint8_t* p) {
  if (*p == '-') p++;
  if (*p == '0') {
    p++;
  } else if (*p >= '1' && *p <= '9') {
    p++;
    while (TABLES.digit[*p]) p++;
  } else {
    return false;
  }
  if (*p == '.') {
    p++;
    if (!TABLES.digit[*p]) return false;
    p++;
    while (TABLES.digit[*p]) p++;
  }
  if ((*p | 0x20) == 'e') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!TABLES.digit[*p]) return false;
    p++;
    while (TABLES.digit[*p]) p++;
  }
  return TABLES.terminator[*p];
}

// In each byte of x equal to c, the high bit (SWAR; no carry crosses bytes).
inline uint64_t bytesEqual(uint64_t x, uint8_t c) {
  const uint64_t y = x ^ (0x0101010101010101ULL * c);
  return ~(((y & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | y) & 0x8080808080808080ULL;
}

// The same, 8 bytes at a time and without branches for the common forms: -?int(.frac)? of at most
// 8 bytes, ending at the next structural index (`size` bytes from p). Such a number is followed by
// that index's byte, which is then one of {}[]:, (a scalar start cannot follow a digit, "-" or "."
// directly), or by the line's end. Anything else (exponents, whitespace after the number, longer
// numbers, invalid bytes) goes byte by byte. Reads 8 bytes from p: the line's padding follows it.
inline bool validNumber(const uint8_t* p, uint32_t size) {
  if (size - 1 >= 8 || !LITTLE_ENDIAN_BYTES) return validNumberBytes(p);
  uint64_t x;
  std::memcpy(&x, p, 8);
  const uint64_t keep = 0x8080808080808080ULL >> (64 - 8 * size);  // the first `size` bytes
  const uint64_t t = x ^ 0x3030303030303030ULL;
  const uint64_t nonDigit = ((((t & 0x7f7f7f7f7f7f7f7fULL) + 0x7676767676767676ULL) | t) & 0x8080808080808080ULL) & keep;
  const uint64_t digit = keep & ~nonDigit;
  const uint64_t minus = bytesEqual(x, '-') & keep;
  const uint64_t dot = bytesEqual(x, '.') & keep;
  if ((nonDigit & ~(minus | dot)) != 0) return validNumberBytes(p);
  // Every byte is a digit, "-" or ".": a "-" only first, then a digit, no leading zero, at most
  // one ".", followed by a digit.
  const unsigned s = unsigned(minus & 0x80) >> 4;  // 8 (bits) after a sign, else 0
  const uint64_t zero = bytesEqual(x, '0') & keep;
  const bool ok = ((minus & ~uint64_t(0x80)) == 0) & (((digit >> s) & 0x80) != 0) &
                  !((((zero >> s) & 0x80) != 0) & (((digit >> (s + 8)) & 0x80) != 0)) & ((dot & (dot - 1)) == 0) &
                  ((dot == 0) | (((digit >> 8) & dot) != 0));
  return ok;
}

// All the numbers of a line (token positions `at[0, count)` in the structural indexes), 4 at a time
// with AVX2 where the CPU has it: validNumber's SWAR checks in 4 lanes. A lane the checks cannot
// settle (see validNumber) is read byte by byte.
#if ENGINE1_AVX2
// Bytes of x equal to c's (c: the byte in every position): the high bit of each.
__attribute__((target("avx2"))) inline __m256i equalBytes(__m256i x, __m256i c) {
  const __m256i low7 = _mm256_set1_epi64x(0x7f7f7f7f7f7f7f7fLL);
  const __m256i y = _mm256_xor_si256(x, c);
  return _mm256_andnot_si256(_mm256_or_si256(_mm256_add_epi64(_mm256_and_si256(y, low7), low7), y),
                             _mm256_set1_epi64x(int64_t(0x8080808080808080ULL)));
}
// All ones in the lanes that are not 0.
__attribute__((target("avx2"))) inline __m256i nonZero(__m256i v) {
  return _mm256_xor_si256(_mm256_cmpeq_epi64(v, _mm256_setzero_si256()), _mm256_set1_epi64x(-1));
}

__attribute__((target("avx2"))) bool validNumbersAvx2(const uint8_t* buf, const uint32_t* idx, const uint32_t* at,
                                                       uint32_t count) {
  const __m256i high = _mm256_set1_epi64x(int64_t(0x8080808080808080ULL));
  const __m256i low7 = _mm256_set1_epi64x(0x7f7f7f7f7f7f7f7fLL);
  const __m256i zeros = _mm256_set1_epi64x(0x3030303030303030LL);
  const __m256i digitAdd = _mm256_set1_epi64x(0x7676767676767676LL);
  const __m256i minusBytes = _mm256_set1_epi64x(0x2d2d2d2d2d2d2d2dLL);
  const __m256i dotBytes = _mm256_set1_epi64x(0x2e2e2e2e2e2e2e2eLL);
  const __m256i first = _mm256_set1_epi64x(0x80);
  const __m256i one = _mm256_set1_epi64x(1);
  const __m256i eight = _mm256_set1_epi64x(8);
  const __m256i sixtyFour = _mm256_set1_epi64x(64);
  const __m256i zero = _mm256_setzero_si256();
  uint32_t k = 0;
  for (; k + 4 <= count; k += 4) {
    uint32_t start[4], size[4];
    uint64_t bytes[4];
    for (int j = 0; j < 4; j++) {
      start[j] = idx[at[k + j]];
      size[j] = idx[at[k + j] + 1] - start[j];
      std::memcpy(&bytes[j], buf + start[j], 8);
    }
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes));
    const __m256i sizes = _mm256_set_epi64x(size[3], size[2], size[1], size[0]);
    // The first `size` bytes (a size over 8 keeps all 8 and is sent byte by byte below).
    const __m256i keep = _mm256_srlv_epi64(high, _mm256_sub_epi64(sixtyFour, _mm256_slli_epi64(_mm256_min_epu32(sizes, eight), 3)));
    const __m256i t = _mm256_xor_si256(x, zeros);
    const __m256i nonDigit = _mm256_and_si256(
        _mm256_and_si256(_mm256_or_si256(_mm256_add_epi64(_mm256_and_si256(t, low7), digitAdd), t), high), keep);
    const __m256i digit = _mm256_andnot_si256(nonDigit, keep);
    const __m256i minus = _mm256_and_si256(equalBytes(x, minusBytes), keep);
    const __m256i dot = _mm256_and_si256(equalBytes(x, dotBytes), keep);
    const __m256i zeroByte = _mm256_and_si256(equalBytes(x, zeros), keep);
    // Lanes for byte by byte: longer than 8 bytes, or another byte than a digit, "-" or ".".
    const __m256i slow = _mm256_or_si256(_mm256_cmpgt_epi64(sizes, eight),
                                         nonZero(_mm256_andnot_si256(_mm256_or_si256(minus, dot), nonDigit)));
    const __m256i s = _mm256_srli_epi64(_mm256_and_si256(minus, first), 4);  // 8 after a sign, else 0
    const __m256i bad1 = nonZero(_mm256_andnot_si256(first, minus));          // a "-" after the first byte
    const __m256i bad2 = _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_srlv_epi64(digit, s), first), zero);  // no digit first
    const __m256i bad3 = _mm256_and_si256(nonZero(_mm256_and_si256(_mm256_srlv_epi64(zeroByte, s), first)),
                                          nonZero(_mm256_and_si256(_mm256_srlv_epi64(digit, _mm256_add_epi64(s, eight)), first)));
    const __m256i bad4 = nonZero(_mm256_and_si256(dot, _mm256_sub_epi64(dot, one)));  // two dots
    const __m256i bad5 = _mm256_andnot_si256(_mm256_cmpeq_epi64(dot, zero),
                                             _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_srli_epi64(digit, 8), dot), zero));
    const __m256i bad = _mm256_or_si256(_mm256_or_si256(bad1, bad2), _mm256_or_si256(_mm256_or_si256(bad3, bad4), bad5));
    const int slowLanes = _mm256_movemask_pd(_mm256_castsi256_pd(slow));
    const int badLanes = _mm256_movemask_pd(_mm256_castsi256_pd(bad)) & ~slowLanes;
    if (badLanes != 0) return false;
    if (slowLanes != 0) {
      for (int j = 0; j < 4; j++) {
        if (((slowLanes >> j) & 1) != 0 && !validNumberBytes(buf + start[j])) return false;
      }
    }
  }
  for (; k < count; k++) {
    if (!validNumber(buf + idx[at[k]], idx[at[k] + 1] - idx[at[k]])) return false;
  }
  return true;
}
#endif

// simdjson picked a kernel that needs AVX2 (haswell, icelake): the CPU has it.
inline bool cpuHasAvx2() {
  static const bool avx2 = simdjson::get_active_implementation()->name() == "haswell" ||
                           simdjson::get_active_implementation()->name() == "icelake";
  return avx2;
}

inline bool validNumbers(const uint8_t* buf, const uint32_t* idx, const uint32_t* at, uint32_t count, bool avx2) {
#if ENGINE1_AVX2
  if (avx2) return validNumbersAvx2(buf, idx, at, count);
#else
  (void)avx2;
#endif
  for (uint32_t k = 0; k < count; k++) {
    if (!validNumber(buf + idx[at[k]], idx[at[k] + 1] - idx[at[k]])) return false;
  }
  return true;
}

inline bool validAtom(const uint8_t* p, const char* text, size_t n) {
  return std::memcmp(p, text, n) == 0 && TABLES.terminator[p[n]];
}

// Every backslash of the line starts a valid escape, backslashes taken in pairs from the left (as
// stage 1 does). A backslash outside a string makes the grammar walk fail anyway (it is a scalar
// byte: either a token of its own or part of a number or atom), so inside strings this checks
// exactly JSON's escapes: \" \\ \/ \b \f \n \r \t \uXXXX (any four hex digits: JSON.parse keeps
// lone surrogates).
// The escape starting at the backslash line[b]: valid, and where the next one may start.
inline bool validEscapeAt(const uint8_t* line, size_t b, size_t* next) {
  const uint8_t c = line[b + 1];  // b + 1 <= len: the byte after the line is readable
  if (!TABLES.escape[c]) return false;
  if (c == 'u') {
    if (!(TABLES.hex[line[b + 2]] && TABLES.hex[line[b + 3]] && TABLES.hex[line[b + 4]] && TABLES.hex[line[b + 5]])) return false;
    *next = b + 6;
  } else {
    *next = b + 2;
  }
  return true;
}

inline bool validEscapes(const uint8_t* line, size_t len) {
  size_t p = 0;
  while (p < len) {
    const void* hit = std::memchr(line + p, '\\', len - p);
    if (hit == nullptr) return true;
    if (!validEscapeAt(line, size_t(static_cast<const uint8_t*>(hit) - line), &p)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The fast path's grammar walk.

// Where a value engine1 reads sits in the line: [start, end) runs from its first byte to the
// structural character after it (so it may end with whitespace).
struct Capture {
  uint32_t start = 0;
  uint32_t end = 0;
  bool present = false;
};

// What the record's reduced object is built from. Last occurrence wins, as in JSON.parse: a
// repeated key overwrites its capture, and the captures inside a repeated object are cleared.
struct Captures {
  std::vector<Capture> keys;  // top-level keys copied in full, by slot
  Capture breakdown, scoring;
  Capture bdError, bdFallback, bdStatus, bdMode, bdRaw;
  Capture rawPreds;
  Capture predsValues;
  Capture scTimeout, scError;

  void clearPreds() { predsValues.present = false; }
  void clearRaw() {
    rawPreds.present = false;
    clearPreds();
  }
  void clearBreakdown() {
    bdError.present = bdFallback.present = bdStatus.present = bdMode.present = bdRaw.present = false;
    clearRaw();
  }
  void clearScoring() { scTimeout.present = scError.present = false; }
  void clearAll() {
    for (Capture& c : keys) c.present = false;
    breakdown.present = scoring.present = false;
    clearBreakdown();
    clearScoring();
  }
};

// The objects whose keys matter: the record, ai_breakdown, scoring_breakdown,
// ai_breakdown.raw_inputs and ai_breakdown.raw_inputs.model_preds.
enum Role : uint8_t { ROLE_NONE, ROLE_ROOT, ROLE_BREAKDOWN, ROLE_SCORING, ROLE_RAW, ROLE_PREDS };

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
      if (key.empty() || (e.name[0] == key[0] && std::memcmp(e.name.data(), key.data(), key.size()) == 0)) return long(e.slot);
    }
    return -1;
  }
};

enum class Walk { Object, NotObject, Unsure };

// An open object or array: what it is, its role, and the capture of the value being read in it.
struct Frame {
  bool array;
  Role role;
  Capture* current;
};

inline bool isNumberStart(uint8_t c) { return c == '-' || uint8_t(c - '0') < 10; }

// The walk's stack and its list of numbers, reused from line to line.
struct WalkBuffers {
  std::unique_ptr<Frame[]> stack{new (std::nothrow) Frame[MAX_FAST_DEPTH]};
  std::unique_ptr<uint32_t[]> numbers;
  uint32_t numbersSize = 0;
};

class Walker {
 public:
  Walker(const KeyTable& table, Captures& cap, WalkBuffers& buffers) : table_(table), cap_(cap), buffers_(buffers) {}

  // Walks the structural indexes of one line (stage 1 succeeded on buf[0, len), and buf[len] is
  // "\r" or "\n": whitespace, which ends a number or an atom and which no state accepts).
  // simdjson leaves idx[n] = idx[n + 1] = len: reading past the last index reads buf[len], so every
  // lookahead below fails at the line's end before it could read further.
  Walk walk(const uint8_t* buf, const uint32_t* idx, uint32_t n) {
    cap_.clearAll();
    Frame* const stack = buffers_.stack.get();
    uint32_t depth = 0;  // open objects and arrays; stack[depth - 1] saves the enclosing one's state
    uint32_t i = 0;
    // The innermost open object or array, in registers.
    Frame cur{false, ROLE_NONE, nullptr};
    Role nextRole = ROLE_ROOT;  // the role of the value about to be read, when it is an object
    const uint8_t rootByte = buf[idx[0]];
    // The numbers' token positions, checked once the structure is (one per token at most).
    if (buffers_.numbersSize < n + 1) {
      buffers_.numbers.reset(new (std::nothrow) uint32_t[n + 1]);
      buffers_.numbersSize = buffers_.numbers ? n + 1 : 0;
      if (!buffers_.numbers) return Walk::Unsure;
    }
    uint32_t* const numbers = buffers_.numbers.get();
    uint32_t count = 0;

  value:
    // Any value.
    switch (buf[idx[i]]) {
      case '"':
        nextRole = ROLE_NONE;
        i++;
        goto after_value;
      case '{':
        if (buf[idx[i + 1]] == '}') {
          nextRole = ROLE_NONE;
          i += 2;
          goto after_value;
        }
        if (depth == MAX_FAST_DEPTH) return Walk::Unsure;
        stack[depth++] = cur;
        cur = Frame{false, nextRole, nullptr};
        nextRole = ROLE_NONE;
        i++;
        goto object_key;
      case '[':
        nextRole = ROLE_NONE;
        if (buf[idx[i + 1]] == ']') {
          i += 2;
          goto after_value;
        }
        if (depth == MAX_FAST_DEPTH) return Walk::Unsure;
        stack[depth++] = cur;
        cur = Frame{true, ROLE_NONE, nullptr};
        i++;
        goto array_value;
      case 't':
        if (!validAtom(buf + idx[i], "true", 4)) return Walk::Unsure;
        nextRole = ROLE_NONE;
        i++;
        goto after_value;
      case 'f':
        if (!validAtom(buf + idx[i], "false", 5)) return Walk::Unsure;
        nextRole = ROLE_NONE;
        i++;
        goto after_value;
      case 'n':
        if (!validAtom(buf + idx[i], "null", 4)) return Walk::Unsure;
        nextRole = ROLE_NONE;
        i++;
        goto after_value;
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        numbers[count++] = i;
        nextRole = ROLE_NONE;
        i++;
        goto after_value;
      default:
        return Walk::Unsure;
    }

  after_value:
    // After a value: the line's end, or what follows it in its object or array.
    if (depth == 0) {
      if (i != n) return Walk::Unsure;  // more than one value on the line
      if (!validNumbers(buf, idx, numbers, count, avx2_)) return Walk::Unsure;
      return rootByte == '{' ? Walk::Object : Walk::NotObject;
    }
    if (cur.array) goto array_next;
    if (cur.current != nullptr) {
      cur.current->end = idx[i];
      cur.current = nullptr;
    }
    goto object_next;

  object_key:
    // A member: a string, ":", then a value.
    if (cur.role != ROLE_NONE) {
      if (buf[idx[i]] != '"' || buf[idx[i + 1]] != ':') return Walk::Unsure;
      if (!keyOf(cur, buf, idx[i], idx[i + 1], idx[i + 2], &nextRole)) return Walk::Unsure;
      i += 2;
      goto value;
    }
    {
      // An object whose keys do not matter (nearly all of them): strings and numbers are read right
      // here, numbers checked later (fewer branches in this loop).
      const bool member = (buf[idx[i]] == '"') & (buf[idx[i + 1]] == ':');
      if (!member) return Walk::Unsure;
      const uint8_t kind = TABLES.scalar[buf[idx[i + 2]]];
      if (kind == SCALAR_OTHER) {
        i += 2;
        goto value;
      }
      numbers[count] = i + 2;
      count += kind;
      i += 3;
    }
    // fall through: after the member

  object_next: {
    // After a member: "," and the next one, or "}".
    const uint8_t c = buf[idx[i]];
    if (c == ',') {
      i++;
      goto object_key;
    }
    if (c == '}') {
      cur = stack[--depth];
      i++;
      goto after_value;
    }
    return Walk::Unsure;
  }

  array_value: {
    // An element: strings and numbers right here.
    const uint8_t kind = TABLES.scalar[buf[idx[i]]];
    if (kind == SCALAR_OTHER) goto value;
    numbers[count] = i;
    count += kind;
    i++;
  }
    // fall through: after the element

  array_next: {
    // After an element: "," and the next one, or "]".
    const uint8_t c = buf[idx[i]];
    if (c == ',') {
      i++;
      goto array_value;
    }
    if (c == ']') {
      cur = stack[--depth];
      i++;
      goto after_value;
    }
    return Walk::Unsure;
  }
  }

 private:
  const KeyTable& table_;
  Captures& cap_;
  WalkBuffers& buffers_;
  const bool avx2_ = cpuHasAvx2();

  // A key of an object whose keys matter: which capture (if any) its value goes to, and the role of
  // that value when it is an object. False when the key has an escape (its text would need
  // unescaping to compare).
  bool keyOf(Frame& f, const uint8_t* buf, uint32_t quote, uint32_t colon, uint32_t valueAt, Role* nextRole) {
    uint32_t close = colon - 1;
    while (isJsonSpace(buf[close])) close--;
    if (buf[close] != '"' || close <= quote) return false;
    const char* text = reinterpret_cast<const char*>(buf + quote + 1);
    const size_t size = close - quote - 1;
    if (std::memchr(text, '\\', size) != nullptr) return false;
    const std::string_view k(text, size);
    Capture* c = nullptr;
    Role child = ROLE_NONE;
    switch (f.role) {
      case ROLE_ROOT:
        if (k == "ai_breakdown") {
          c = &cap_.breakdown;
          child = ROLE_BREAKDOWN;
          cap_.clearBreakdown();
        } else if (k == "scoring_breakdown") {
          c = &cap_.scoring;
          child = ROLE_SCORING;
          cap_.clearScoring();
        } else {
          long slot = table_.find(k);
          if (slot >= 0) c = &cap_.keys[size_t(slot)];
        }
        break;
      case ROLE_BREAKDOWN:
        if (k == "error") {
          c = &cap_.bdError;
        } else if (k == "fallback") {
          c = &cap_.bdFallback;
        } else if (k == "model_status") {
          c = &cap_.bdStatus;
        } else if (k == "ai_mode") {
          c = &cap_.bdMode;
        } else if (k == "raw_inputs") {
          c = &cap_.bdRaw;
          child = ROLE_RAW;
          cap_.clearRaw();
        }
        break;
      case ROLE_RAW:
        if (k == "model_preds") {
          c = &cap_.rawPreds;
          child = ROLE_PREDS;
          cap_.clearPreds();
        }
        break;
      case ROLE_PREDS:
        if (k == "values") c = &cap_.predsValues;
        break;
      case ROLE_SCORING:
        if (k == "timeout") {
          c = &cap_.scTimeout;
        } else if (k == "error") {
          c = &cap_.scError;
        }
        break;
      case ROLE_NONE:
        break;
    }
    *nextRole = child;
    if (c != nullptr) {
      c->present = true;
      c->start = valueAt;
      f.current = c;
    }
    return true;
  }
};

// ---------------------------------------------------------------------------------------------
// JS values.

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
  // A null `value` (a conversion that failed or gave up, which says so itself) sets nothing.
  void setKey(napi_value object, napi_value key, bool proto, napi_value value) {
    if (failed || value == nullptr) return;
    if (proto) {
      napi_property_descriptor d = {nullptr, key, nullptr, nullptr, nullptr, value, napi_default_jsproperty, nullptr};
      check(napi_define_properties(env_, object, 1, &d));
    } else {
      check(napi_set_property(env_, object, key, value));
    }
  }
  void setNamed(napi_value object, Name name, napi_value value) {
    if (failed || value == nullptr) return;
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

// A "-0" integer token: "-0" between a delimiter ('[', ',', ':', whitespace or the text's start)
// and a delimiter (',', ']', '}', whitespace or the text's end). In a valid document, every such
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

// One parser and its buffers per JS environment (the main thread and each worker get their own).
struct Scanner {
  simdjson::dom::parser parser;
  simdjson::dom::document doc;
  std::unique_ptr<uint8_t[]> padded;
  size_t capacity = 0;
  // The fast path's buffers, kept from block to block.
  WalkBuffers walk;
  // The fast path relies on the SIMD kernels' stage 1 (the portable "fallback" kernel has its own).
  bool fast = simdjson::get_active_implementation()->name() != "fallback" && walk.stack != nullptr;
  // Lines each path settled in this thread (for lineCounts()).
  double fastLines = 0;
  double domLines = 0;

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

// ---------------------------------------------------------------------------------------------
// One block.

// What a record read by the fast path is handed to JS as (a fixed number of kinds per record, see
// src/scan/native.ts): a kind per value position, and a stream of numbers that the kinds consume
// in order (a string: its [start, end) in its text, in UTF-16 units; a number: itself).
enum Kind : uint8_t {
  KIND_ABSENT = 0,
  KIND_STRING = 1,
  KIND_NULL = 2,
  KIND_TRUE = 3,
  KIND_FALSE = 4,
  KIND_NUMBER = 5,
  KIND_EXTRA = 6,         // the next entry of `extras` (arrays and objects, built as JSON.parse does)
  KIND_OBJECT_EMPTY = 7,  // raw_inputs: {}
  KIND_OBJECT = 8,        // an object whose reduced positions follow
  KIND_UNICODE = 9,       // a string with non-ASCII characters (in the second text)
};
// The positions after the copied keys.
enum Tail {
  TAIL_BREAKDOWN,          // absent, null (not an object) or object
  TAIL_BD_ERROR,           // absent, true or false (isSet)
  TAIL_BD_FALLBACK,        // absent, true or false
  TAIL_BD_STATUS,          // absent, string or null
  TAIL_BD_MODE,            // absent, string or null
  TAIL_RAW,                // absent, null, object-empty or object
  TAIL_PREDS,              // (raw_inputs not empty) null or object
  TAIL_VALUES,             // (model_preds an object) absent or any value
  TAIL_SCORING,            // absent, null or object
  TAIL_SC_TIMEOUT,         // absent, true or false
  TAIL_SC_ERROR,           // absent, true or false
  TAIL_COUNT
};

// Everything a block's scan hands back.
struct Output {
  std::vector<uint8_t> codes;
  std::vector<uint8_t> kinds;
  std::vector<double> numbers;
  std::vector<double> fallbacks;
  std::string ascii;            // the strings that are ASCII, one after the other
  std::string unicode;          // the others (UTF-8)
  size_t unicodeUnits = 0;      // unicode's length in UTF-16 units (ascii's is its size)
  napi_value extras = nullptr;
  uint32_t extraCount = 0;

  // A string value: its kind, and its [start, end) in its text.
  Kind addString(const char* s, size_t n) {
    for (size_t i = 0; i < n; i++) {
      if (static_cast<uint8_t>(s[i]) >= 0x80) {
        numbers.push_back(double(unicodeUnits));
        unicode.append(s, n);
        unicodeUnits += utf16Units(s, n);
        numbers.push_back(double(unicodeUnits));
        return KIND_UNICODE;
      }
    }
    numbers.push_back(double(ascii.size()));
    ascii.append(s, n);
    numbers.push_back(double(ascii.size()));
    return KIND_STRING;
  }

  // UTF-16 units of valid UTF-8: one per lead byte, two for a 4-byte sequence.
  static size_t utf16Units(const char* s, size_t n) {
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
      const uint8_t c = static_cast<uint8_t>(s[i]);
      units += (c & 0xc0) != 0x80;
      units += c >= 0xf0;
    }
    return units;
  }
};

enum class Line { Object, Flat, Code, Fallback, Unsure, Failed };

class BlockScan {
 public:
  BlockScan(napi_env env, Scanner& scanner, Builder& b, Output& out, const KeyTable& table,
            const std::vector<napi_value>& keyValues, const std::vector<char>& protoKey)
      : env_(env),
        scanner_(scanner),
        b_(b),
        out_(out),
        table_(table),
        keyValues_(keyValues),
        protoKey_(protoKey),
        walker_(table, cap_, scanner.walk),
        slots_(keyValues.size()),
        present_(keyValues.size()) {
    cap_.keys.resize(keyValues.size());
  }

  // What the line is: a record in the flat form (Flat, appended to out_), a code (in `code`), a
  // fallback, or Unsure (take the DOM path). `input` has SIMDJSON_PADDING readable bytes after
  // len, and input[len] is "\r" or "\n".
  Line fastLine(const uint8_t* input, size_t len, uint8_t* code) {
    simdjson::internal::dom_parser_implementation& impl = *scanner_.parser.implementation;
    if (impl.stage1(input, len, simdjson::stage1_mode::regular) != simdjson::SUCCESS) return Line::Unsure;
    if (!validEscapes(input, len)) return Line::Unsure;
    Walk w = walker_.walk(input, impl.structural_indexes.get(), impl.n_structural_indexes);
    if (w == Walk::Unsure) return Line::Unsure;
    if (w == Walk::NotObject) {
      *code = CODE_NOT_OBJECT;
      return Line::Code;
    }
    // The walk is done: the parser is free for the values that need simdjson's number and string
    // conversions. What this record adds to the output is taken back if it cannot be finished.
    input_ = input;
    unsure_ = false;
    negativeZero_ = false;
    const size_t kindsMark = out_.kinds.size(), numbersMark = out_.numbers.size();
    const size_t asciiMark = out_.ascii.size(), unicodeMark = out_.unicode.size(), unitsMark = out_.unicodeUnits;
    const uint32_t extrasMark = out_.extraCount;
    for (size_t i = 0; i < cap_.keys.size(); i++) {
      if (cap_.keys[i].present) {
        value(cap_.keys[i]);
      } else {
        out_.kinds.push_back(KIND_ABSENT);
      }
    }
    tail();
    if (b_.failed) return Line::Failed;
    if (unsure_ || negativeZero_) {
      out_.kinds.resize(kindsMark);
      out_.numbers.resize(numbersMark);
      out_.ascii.resize(asciiMark);
      out_.unicode.resize(unicodeMark);
      out_.unicodeUnits = unitsMark;
      // Extras already set stay in the array, unread: the next ones overwrite them.
      out_.extraCount = extrasMark;
      return unsure_ ? Line::Unsure : Line::Fallback;
    }
    return Line::Flat;
  }

  // simdjson's DOM parser on the whole line (the previous scanner, unchanged in what it decides):
  // an Object is the reduced object itself, in `obj`.
  Line domLine(const uint8_t* input, size_t len, const uint8_t* line, uint8_t* code, napi_value* out) {
    element root;
    if (scanner_.parser.parse_into_document(scanner_.doc, input, len, false).get(root) != simdjson::SUCCESS) {
      // JS: !isUtf8(bytes) -> parse_error, before anything else (simdjson's own check would do,
      // but its error code may name another fault found first).
      if (!simdjson::validate_utf8(reinterpret_cast<const char*>(line), len)) {
        *code = CODE_PARSE_ERROR;
        return Line::Code;
      }
      // Invalid JSON, but also what JSON.parse accepts and simdjson does not: numbers out of
      // range, big integers, lone surrogate escapes, nesting deeper than 1024, non-ASCII
      // whitespace that trim() removes. JSON.parse decides.
      return Line::Fallback;
    }
    // A successful parse has validated the whole line as UTF-8 (stage 1 always does), which is
    // what isUtf8 checks.
    if (root.type() != element_type::OBJECT) {
      *code = CODE_NOT_OBJECT;
      return Line::Code;
    }
    // Last occurrence wins, as in JSON.parse.
    std::fill(present_.begin(), present_.end(), 0);
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
      long slot = table_.find(k);
      if (slot >= 0) {
        present_[size_t(slot)] = 1;
        slots_[size_t(slot)] = field.value;
      }
    }
    b_.intZero = false;
    napi_value obj = b_.object();
    for (size_t i = 0; i < keyValues_.size() && !b_.failed; i++) {
      if (present_[i]) b_.setKey(obj, keyValues_[i], protoKey_[i], b_.full(slots_[i]));
    }
    if (hasBreakdown) b_.setNamed(obj, NAME_AI_BREAKDOWN, b_.buildBreakdown(breakdown));
    if (hasScoring) b_.setNamed(obj, NAME_SCORING_BREAKDOWN, b_.buildScoring(scoring));
    if (b_.failed) return Line::Failed;
    // simdjson reads "-0" as the integer 0; JSON.parse keeps the sign.
    if (b_.intZero && hasNegativeZeroInteger(line, len)) return Line::Fallback;
    *out = obj;
    return Line::Object;
  }

  // Appends a JS value to `extras`.
  void extra(napi_value v) {
    if (v == nullptr || b_.failed) return;
    b_.check(napi_set_element(env_, out_.extras, out_.extraCount++, v));
  }

 private:
  napi_env env_;
  Scanner& scanner_;
  Builder& b_;
  Output& out_;
  const KeyTable& table_;
  const std::vector<napi_value>& keyValues_;
  const std::vector<char>& protoKey_;
  Captures cap_;
  Walker walker_;
  std::vector<element> slots_;
  std::vector<char> present_;
  const uint8_t* input_ = nullptr;
  bool unsure_ = false;
  bool negativeZero_ = false;

  void kind(Kind k) { out_.kinds.push_back(k); }

  // A captured value parsed on its own by simdjson's DOM parser (in place: the line's padding
  // follows). False (and the line goes to the DOM path) when simdjson refuses it.
  bool parseValue(const Capture& c, element* root) {
    if (scanner_.parser.parse_into_document(scanner_.doc, input_ + c.start, c.end - c.start, false).get(*root) !=
        simdjson::SUCCESS) {
      unsure_ = true;
      return false;
    }
    return true;
  }

  // A captured string with no escape: its bytes (valid UTF-8, checked by stage 1) are its text.
  bool plainString(const Capture& c, std::string_view* text) {
    uint32_t close = c.end - 1;
    while (isJsonSpace(input_[close])) close--;
    const char* s = reinterpret_cast<const char*>(input_ + c.start + 1);
    const size_t size = close - c.start - 1;
    if (std::memchr(s, '\\', size) != nullptr) return false;
    *text = std::string_view(s, size);
    return true;
  }

  // The whole value, as JSON.parse builds it: one kind (and its numbers or extra).
  void value(const Capture& c) {
    switch (input_[c.start]) {
      case '"': {
        std::string_view text;
        if (plainString(c, &text)) {
          const size_t at = out_.kinds.size();
          kind(KIND_STRING);
          out_.kinds[at] = out_.addString(text.data(), text.size());
          return;
        }
        break;
      }
      case 't':
        return kind(KIND_TRUE);
      case 'f':
        return kind(KIND_FALSE);
      case 'n':
        return kind(KIND_NULL);
      default:
        break;
    }
    element root;
    if (!parseValue(c, &root)) return kind(KIND_ABSENT);
    switch (root.type()) {
      case element_type::STRING: {
        std::string_view text = root.get_string().value_unsafe();
        const size_t at = out_.kinds.size();
        kind(KIND_STRING);
        out_.kinds[at] = out_.addString(text.data(), text.size());
        return;
      }
      case element_type::INT64: {
        const int64_t i = root.get_int64().value_unsafe();
        if (i == 0 && hasNegativeZeroInteger(input_ + c.start, c.end - c.start)) negativeZero_ = true;
        kind(KIND_NUMBER);
        out_.numbers.push_back(double(i));
        return;
      }
      case element_type::UINT64:
        kind(KIND_NUMBER);
        out_.numbers.push_back(double(root.get_uint64().value_unsafe()));
        return;
      case element_type::DOUBLE:
        kind(KIND_NUMBER);
        out_.numbers.push_back(root.get_double().value_unsafe());
        return;
      default: {
        // Arrays and objects (and atoms with odd spacing, which cannot happen: atoms are read above).
        napi_handle_scope scope;
        if (napi_open_handle_scope(env_, &scope) != napi_ok) {
          b_.failed = true;
          return;
        }
        b_.intZero = false;
        napi_value v = b_.full(root);
        if (b_.intZero && hasNegativeZeroInteger(input_ + c.start, c.end - c.start)) negativeZero_ = true;
        kind(KIND_EXTRA);
        extra(v);
        if (napi_close_handle_scope(env_, scope) != napi_ok) b_.failed = true;
        return;
      }
    }
  }

  bool isSet(const Capture& c) {
    switch (input_[c.start]) {
      case 'n':
      case 'f':
        return false;
      case 't':
        return true;
      case '"':
        return input_[c.start + 1] != '"';
      case '[':
      case '{':
        return !emptyContainer(c);
      default: {
        element root;
        if (!parseValue(c, &root)) return false;
        return Builder::isSet(root);
      }
    }
  }

  void flag(const Capture& c) {
    if (!c.present) return kind(KIND_ABSENT);
    kind(isSet(c) ? KIND_TRUE : KIND_FALSE);
  }

  // Whether a captured object or array is empty: the byte after its bracket (past whitespace) is
  // the closing one.
  bool emptyContainer(const Capture& c) {
    uint32_t p = c.start + 1;
    while (isJsonSpace(input_[p])) p++;
    return input_[p] == (input_[c.start] == '{' ? '}' : ']');
  }

  // A value only ever read as "a string or not" (upper(), pickIdOf): the string, else null.
  void stringOrNull(const Capture& c) {
    if (!c.present) return kind(KIND_ABSENT);
    if (input_[c.start] != '"') return kind(KIND_NULL);
    value(c);
  }

  // ai_breakdown (error, fallback, model_status, ai_mode, raw_inputs' emptiness and
  // model_preds.values) and scoring_breakdown (timeout, error): see the Tail positions.
  // The positions are filled in order, so that the numbers they use come in order too.
  void tail() {
    if (!cap_.breakdown.present) {
      kind(KIND_ABSENT);
      for (int i = TAIL_BD_ERROR; i <= TAIL_VALUES; i++) kind(KIND_ABSENT);
    } else if (input_[cap_.breakdown.start] != '{') {
      kind(KIND_NULL);
      for (int i = TAIL_BD_ERROR; i <= TAIL_VALUES; i++) kind(KIND_ABSENT);
    } else {
      kind(KIND_OBJECT);
      flag(cap_.bdError);
      flag(cap_.bdFallback);
      stringOrNull(cap_.bdStatus);
      stringOrNull(cap_.bdMode);
      const Capture& raw = cap_.bdRaw;
      if (!raw.present) {
        kind(KIND_ABSENT);
        kind(KIND_ABSENT);
        kind(KIND_ABSENT);
      } else if (input_[raw.start] != '{') {
        kind(KIND_NULL);
        kind(KIND_ABSENT);
        kind(KIND_ABSENT);
      } else if (emptyContainer(raw)) {
        kind(KIND_OBJECT_EMPTY);
        kind(KIND_ABSENT);
        kind(KIND_ABSENT);
      } else {
        kind(KIND_OBJECT);
        // A non-empty raw_inputs keeps model_preds: null when absent or not an object.
        const Capture& preds = cap_.rawPreds;
        if (!preds.present || input_[preds.start] != '{') {
          kind(KIND_NULL);
          kind(KIND_ABSENT);
        } else {
          kind(KIND_OBJECT);
          if (cap_.predsValues.present) {
            value(cap_.predsValues);
          } else {
            kind(KIND_ABSENT);
          }
        }
      }
    }
    if (!cap_.scoring.present) {
      kind(KIND_ABSENT);
      kind(KIND_ABSENT);
      kind(KIND_ABSENT);
    } else if (input_[cap_.scoring.start] != '{') {
      kind(KIND_NULL);
      kind(KIND_ABSENT);
      kind(KIND_ABSENT);
    } else {
      kind(KIND_OBJECT);
      flag(cap_.scTimeout);
      flag(cap_.scError);
    }
  }
};

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

// What both scan() and scanRange() set up from their `keys` and `names` arguments, and the one
// loop body they share: a line in, its code (and values) out.
class Session {
 public:
  Session(napi_env env, Scanner* scanner) : env_(env), scanner_(scanner), b_(env) {}

  // False (with a JS exception pending) when the arguments are not what the JS side passes.
  bool init(napi_value keys, napi_value names, const char* fn) {
    bool isArray = false;
    napi_is_array(env_, keys, &isArray);
    if (!isArray) return fail(fn, "keys must be an array of strings");
    uint32_t keyCount = 0;
    napi_get_array_length(env_, keys, &keyCount);
    keyValues_.resize(keyCount);
    protoKey_.resize(keyCount);
    for (uint32_t i = 0; i < keyCount; i++) {
      napi_value k;
      if (napi_get_element(env_, keys, i, &k) != napi_ok) return fail(fn, "bad keys");
      size_t n = 0;
      if (napi_get_value_string_utf8(env_, k, nullptr, 0, &n) != napi_ok) return fail(fn, "keys must be strings");
      std::string name(n, '\0');
      size_t copied = 0;
      napi_get_value_string_utf8(env_, k, name.data(), n + 1, &copied);
      keyValues_[i] = k;
      protoKey_[i] = name == "__proto__";
      table_.add(std::move(name), i);
    }
    uint32_t nameCount = 0;
    if (napi_get_array_length(env_, names, &nameCount) != napi_ok || nameCount != NAME_COUNT) {
      return fail(fn, "names must be an array of the addon's property names");
    }
    for (uint32_t i = 0; i < NAME_COUNT; i++) {
      char text[32];
      size_t n = 0;
      if (napi_get_element(env_, names, i, &b_.names[i]) != napi_ok ||
          napi_get_value_string_utf8(env_, b_.names[i], text, sizeof text, &n) != napi_ok || std::strcmp(text, NAME_TEXT[i]) != 0) {
        return fail(fn, "names must be the addon's property names, in its order");
      }
    }
    b_.check(napi_create_array(env_, &out_.extras));
    scan_.reset(new BlockScan(env_, *scanner_, b_, out_, table_, keyValues_, protoKey_));
    out_.codes.reserve(1024);
    out_.kinds.reserve(16384);
    out_.numbers.reserve(8192);
    out_.ascii.reserve(65536);
    return true;
  }

  bool failed() const { return b_.failed; }
  void code(uint8_t c) { out_.codes.push_back(c); }

  // One line (without its "\n" and a "\r" before it). `readable` bytes may be read from `line` on;
  // the byte at line[len] is "\r" or "\n". A line the native code leaves to JSON.parse is handed
  // to `fallback`, which records it.
  template <typename Fallback>
  void line(const uint8_t* line, size_t len, size_t readable, Fallback&& fallback) {
    if (len > MAX_NATIVE_LINE) return fallback();
    // What trim() removes among ASCII bytes; such a line is valid UTF-8 too.
    if (isAsciiBlank(line, len)) return code(CODE_BLANK);
    // simdjson skips a leading BOM; JSON.parse does not (and trim() removes U+FEFF).
    if (len >= 3 && line[0] == 0xef && line[1] == 0xbb && line[2] == 0xbf) return fallback();
    if (!scanner_->reserve(len)) return fallback();
    // simdjson reads up to SIMDJSON_PADDING bytes past the end of what it parses: in place when
    // the buffer has them, else a padded copy. Either way the byte after the line is "\r" or
    // "\n", which the fast path's walk relies on.
    const uint8_t* input = line;
    if (len + simdjson::SIMDJSON_PADDING > readable) {
      std::memcpy(scanner_->padded.get(), line, len);
      scanner_->padded[len] = '\n';
      input = scanner_->padded.get();
    }
    uint8_t c = 0;
    Line result = scanner_->fast ? scan_->fastLine(input, len, &c) : Line::Unsure;
    if (result != Line::Unsure) {
      scanner_->fastLines++;
    } else {
      scanner_->domLines++;
      // The strings and numbers built for the reduced object are garbage once it is set.
      napi_handle_scope scope;
      if (napi_open_handle_scope(env_, &scope) != napi_ok) {
        b_.failed = true;
        return;
      }
      napi_value obj = nullptr;
      result = scan_->domLine(input, len, line, &c, &obj);
      if (result == Line::Object) scan_->extra(obj);
      if (napi_close_handle_scope(env_, scope) != napi_ok) b_.failed = true;
    }
    switch (result) {
      case Line::Failed:
        b_.failed = true;
        return;
      case Line::Flat:
        return code(CODE_OBJECT);
      case Line::Object:
        return code(CODE_BUILT);
      case Line::Code:
        return code(c);
      default:
        return fallback();
    }
  }

  std::vector<double>& fallbacks() { return out_.fallbacks; }

  // The result array: the seven parts scan() documents, then `more` (scanRange's additions).
  napi_value result(const char* fn, std::initializer_list<napi_value> more = {}) {
    if (b_.failed) return fail(fn, "building the result failed"), nullptr;
    napi_value codes, kinds, numbers, fallbackArray, ascii, unicode, array;
    if (!copyOut(napi_uint8_array, out_.codes.data(), out_.codes.size(), 1, &codes) ||
        !copyOut(napi_uint8_array, out_.kinds.data(), out_.kinds.size(), 1, &kinds) ||
        !copyOut(napi_float64_array, out_.numbers.data(), out_.numbers.size(), sizeof(double), &numbers) ||
        !copyOut(napi_float64_array, out_.fallbacks.data(), out_.fallbacks.size(), sizeof(double), &fallbackArray)) {
      return fail(fn, "out of memory"), nullptr;
    }
    // The strings in two JS strings: the ASCII ones (Latin-1, a plain copy) and the others.
    if (napi_create_string_latin1(env_, out_.ascii.data(), out_.ascii.size(), &ascii) != napi_ok ||
        napi_create_string_utf8(env_, out_.unicode.data(), out_.unicode.size(), &unicode) != napi_ok) {
      return fail(fn, "out of memory"), nullptr;
    }
    std::vector<napi_value> parts = {codes, kinds, numbers, ascii, unicode, out_.extras, fallbackArray};
    parts.insert(parts.end(), more.begin(), more.end());
    if (napi_create_array_with_length(env_, parts.size(), &array) != napi_ok) return fail(fn, "building the result failed"), nullptr;
    for (uint32_t i = 0; i < parts.size(); i++) {
      if (napi_set_element(env_, array, i, parts[i]) != napi_ok) return fail(fn, "building the result failed"), nullptr;
    }
    return array;
  }

  bool fail(const char* fn, const char* what) {
    std::string message = std::string(fn) + ": " + what;
    throwError(env_, message.c_str());
    return false;
  }

 private:
  napi_env env_;
  Scanner* scanner_;
  Builder b_;
  Output out_;
  KeyTable table_;
  std::vector<napi_value> keyValues_;
  std::vector<char> protoKey_;
  std::unique_ptr<BlockScan> scan_;

  bool copyOut(napi_typedarray_type type, const void* from, size_t count, size_t size, napi_value* array) {
    void* bytes = nullptr;
    napi_value buffer;
    if (napi_create_arraybuffer(env_, count * size, &bytes, &buffer) != napi_ok ||
        napi_create_typedarray(env_, type, count, buffer, 0, array) != napi_ok) {
      return false;
    }
    if (count > 0) std::memcpy(bytes, from, count * size);
    return true;
  }
};

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
  // The bytes readable after the block inside its ArrayBuffer.
  size_t slack = 0;
  {
    void* abData = nullptr;
    size_t abLength = 0;
    if (length > 0 && napi_get_arraybuffer_info(env, arraybuffer, &abData, &abLength) == napi_ok &&
        abLength >= byteOffset + length) {
      slack = abLength - byteOffset - length;
    }
  }
  Scanner* scanner = scannerOf(env);
  if (scanner == nullptr) return throwError(env, "scan: scanner state missing");
  Session session(env, scanner);
  if (!session.init(argv[1], argv[2], "scan")) return nullptr;

  size_t start = 0;
  while (start < length && !session.failed()) {
    const void* hit = std::memchr(block + start, '\n', length - start);
    if (hit == nullptr) break;  // a block holds complete lines only; bytes after the last "\n" are ignored
    size_t nl = size_t(static_cast<const uint8_t*>(hit) - block);
    size_t end = (nl > start && block[nl - 1] == '\r') ? nl - 1 : nl;
    const size_t lineStart = start, len = end - start;
    start = nl + 1;
    session.line(block + lineStart, len, length + slack - lineStart, [&]() {
      session.code(CODE_FALLBACK);
      session.fallbacks().push_back(double(lineStart));
      session.fallbacks().push_back(double(lineStart + len));
    });
  }
  return session.result("scan");
}

#if ENGINE1_MAPPED
// ---------------------------------------------------------------------------------------------
// scanRange: the lines of a byte range of a file, read from a read-only mapping of the file.
//
// Why: a block read with read() is copied from the page cache into a buffer, then read again by
// the scan; that copy was an eighth of audit-store's CPU time on the benchmark store. A mapping
// lets the scan read the page cache itself, and each scanning thread reads its own ranges.
//
// A mapped file that shrinks under the mapping raises SIGBUS on the pages past its new end. The
// handler below takes only faults inside the calling thread's current mapping: it maps a page of
// zeros over the faulting page (so the scan goes on, over garbage) and notes the fault, and
// scanRange then throws instead of returning anything read. Any other SIGBUS goes to the handler
// that was there before (by default, the process ends as it would have).

struct ActiveMapping {
  uintptr_t lo = 0;
  uintptr_t hi = 0;
  volatile sig_atomic_t faulted = 0;
};
// Touched by the thread before its mapping exists, and in the static TLS block where the compiler
// allows (initial-exec): reading it in the handler never allocates.
#if defined(__GNUC__) || defined(__clang__)
__attribute__((tls_model("initial-exec")))
#endif
thread_local ActiveMapping activeMapping;
struct sigaction previousBus;
size_t pageSize = 4096;

void onBus(int sig, siginfo_t* info, void* context) {
  ActiveMapping& m = activeMapping;
  const uintptr_t at = reinterpret_cast<uintptr_t>(info->si_addr);
  // A fault of this thread's own mapping (si_code > 0: raised by the kernel, not sent by a process).
  if (info->si_code > 0 && m.hi != 0 && at >= m.lo && at < m.hi) {
    // Zeros over the rest of the mapping at once: no further fault, however far the scan reads on.
    const uintptr_t page = at & ~uintptr_t(pageSize - 1);
    if (mmap(reinterpret_cast<void*>(page), m.hi - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      m.faulted = 1;
      return;
    }
  }
  if (previousBus.sa_flags & SA_SIGINFO) {
    if (previousBus.sa_sigaction != nullptr) return previousBus.sa_sigaction(sig, info, context);
  } else if (previousBus.sa_handler != SIG_DFL && previousBus.sa_handler != SIG_IGN && previousBus.sa_handler != nullptr) {
    return previousBus.sa_handler(sig);
  }
  // As if this handler had never been there: the default action, which ends the process.
  signal(SIGBUS, SIG_DFL);
  raise(SIGBUS);
}

#ifdef MADV_POPULATE_READ
constexpr int MADV_POPULATE_READ_VALUE = MADV_POPULATE_READ;
#else
constexpr int MADV_POPULATE_READ_VALUE = 22;  // <linux/mman.h>, Linux 5.14
#endif

bool installBusHandler() {
  static bool installed = [] {
    long size = sysconf(_SC_PAGESIZE);
    if (size > 0) pageSize = size_t(size);
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_sigaction = onBus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGBUS, &action, &previousBus) == 0;
  }();
  return installed;
}

// Where `needle` first occurs in [from, to), or `to`.
inline size_t findByte(const uint8_t* base, size_t from, size_t to, uint8_t needle) {
  if (from >= to) return to;
  const void* hit = std::memchr(base + from, needle, to - from);
  return hit == nullptr ? to : size_t(static_cast<const uint8_t*>(hit) - base);
}

// Where the line that starts at `from` ends (its "\n"), or `size` when it has none. Past maxLine
// bytes the line is a parse error whose bytes are never needed: the rest is searched a window at
// a time, and the pages already searched leave this process (MADV_DONTNEED; the page cache keeps
// them), so a line of gigabytes costs no more memory than one window. Stops early, returning
// `size`, when the mapping faulted (the file shrank): what follows is zeros.
constexpr size_t SEARCH_WINDOW = size_t(8) << 20;
size_t lineEnd(const uint8_t* base, size_t from, size_t size, size_t maxLine, uintptr_t mapLo) {
  const size_t limit = from + maxLine + 1 < size ? from + maxLine + 1 : size;
  size_t nl = findByte(base, from, limit, '\n');
  if (nl < limit || limit == size) return nl;
  size_t searched = limit;
  while (searched < size && !activeMapping.faulted) {
    // Every whole page before `searched` is done with.
    const uintptr_t first = reinterpret_cast<uintptr_t>(base + from + pageSize - 1) & ~uintptr_t(pageSize - 1);
    const uintptr_t last = reinterpret_cast<uintptr_t>(base + searched) & ~uintptr_t(pageSize - 1);
    if (last > first && first >= mapLo) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    const size_t to = searched + SEARCH_WINDOW < size ? searched + SEARCH_WINDOW : size;
    nl = findByte(base, searched, to, '\n');
    if (nl < to) return nl;
    searched = to;
  }
  return size;
}

// After a read through a mapping: whether the file is now shorter than the snapshot (a fault past
// its end is caught by the SIGBUS handler; bytes cut from its last page read as zeros, with no fault).
bool shrank(int fd, size_t size) {
  struct stat st;
  return fstat(fd, &st) == 0 && size_t(st.st_size) < size;
}

// scanRange(fd, start, end, size, keys, names) -> scan()'s seven parts, then
//   fallbackBytes: Uint8Array, the bytes of the fallback lines (their [start, end) pairs in
//                  `fallbacks` are offsets in it, not in the file)
//   tail:          1 when the range's last line has no "\n" before `size` (the snapshot's
//                  truncated tail, not in `codes`), else 0
// The range holds the lines that start at a byte in [start, end): the first line starts after a
// UTF-8 BOM at byte 0, every other one after a "\n". `size` is the snapshot's size: bytes from
// there on are never read as lines. A line longer than maxLine bytes before its "\n" is a
// parse_error (code 2) without being read.
napi_value ScanRange(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 7) {
    return throwError(env, "scanRange(fd, start, end, size, maxLine, keys, names) needs seven arguments");
  }
  int32_t fd = -1;
  double numbers[4];
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return throwError(env, "scanRange: fd must be a file descriptor");
  for (int i = 0; i < 4; i++) {
    if (napi_get_value_double(env, argv[i + 1], &numbers[i]) != napi_ok || !(numbers[i] >= 0) || numbers[i] > 9007199254740991.0) {
      return throwError(env, "scanRange: start, end, size and maxLine must be non-negative integers");
    }
  }
  const size_t start = size_t(numbers[0]), size = size_t(numbers[2]), maxLine = size_t(numbers[3]);
  const size_t end = std::min(size_t(numbers[1]), size);
  Scanner* scanner = scannerOf(env);
  if (scanner == nullptr) return throwError(env, "scanRange: scanner state missing");
  if (!installBusHandler()) return throwError(env, "scanRange: cannot install the SIGBUS handler");
  Session session(env, scanner);
  if (!session.init(argv[5], argv[6], "scanRange")) return nullptr;

  // The mapping covers the rest of the snapshot from the page holding start - 1: a range's last
  // line may run past its end, up to the end of the snapshot. Only the pages read are faulted in
  // (and count in memory), and they leave with the mapping when the call ends.
  const size_t from = start == 0 ? 0 : start - 1;
  const size_t mapStart = from & ~(pageSize - 1);
  const size_t mapLength = size > mapStart ? size - mapStart : 0;
  std::string fallbackBytes;
  bool tail = false;
  if (start < end && mapLength > 0) {
    activeMapping.faulted = 0;
    void* mapped = mmap(nullptr, mapLength, PROT_READ, MAP_SHARED, fd, off_t(mapStart));
    if (mapped == MAP_FAILED) {
      std::string message = std::string("scanRange: cannot map the file: ") + std::strerror(errno);
      return throwError(env, message.c_str());
    }
    madvise(mapped, mapLength, MADV_SEQUENTIAL);
#ifdef __linux__
    // The range's pages (and the start of the next, where its last line ends) mapped in one call
    // rather than one page fault per 64 KiB: measured, about 2 % less CPU. Linux 5.14 and later; an
    // older kernel refuses it (EINVAL), and the pages are then faulted in as they are read.
    {
      const size_t want = std::min(size, end + size_t(65536)) - mapStart;
      const size_t populate = std::min((want + pageSize - 1) & ~(pageSize - 1), mapLength & ~(pageSize - 1));
      if (populate > 0) madvise(mapped, populate, MADV_POPULATE_READ_VALUE);
    }
#endif
    // Byte i of the file is base[i], for i in [mapStart, size).
    const uint8_t* base = static_cast<const uint8_t*>(mapped) - mapStart;
    activeMapping.lo = reinterpret_cast<uintptr_t>(mapped);
    activeMapping.hi = activeMapping.lo + mapLength;

    // The first line that starts in the range.
    size_t at;
    const size_t bom = mapStart == 0 && size >= 3 && base[0] == 0xef && base[1] == 0xbb && base[2] == 0xbf ? 3 : 0;
    if (start <= bom) {
      at = bom;
    } else {
      // Only a "\n" before `end` can start a line in the range.
      at = findByte(base, start - 1, end, '\n') + 1;
    }
    while (at < end && !session.failed() && !activeMapping.faulted) {
      const size_t nl = lineEnd(base, at, size, maxLine, activeMapping.lo);
      if (nl == size) {
        tail = true;  // no "\n" before the end of the snapshot: a write in progress
        break;
      }
      const size_t lineStart = at, lineEnd = (nl > at && base[nl - 1] == '\r') ? nl - 1 : nl;
      at = nl + 1;
      if (nl - lineStart > maxLine) {
        session.code(CODE_PARSE_ERROR);
        continue;
      }
      const size_t len = lineEnd - lineStart;
      session.line(base + lineStart, len, size - lineStart, [&]() {
        session.code(CODE_FALLBACK);
        session.fallbacks().push_back(double(fallbackBytes.size()));
        fallbackBytes.append(reinterpret_cast<const char*>(base + lineStart), len);
        session.fallbacks().push_back(double(fallbackBytes.size()));
      });
    }
    activeMapping.lo = activeMapping.hi = 0;
    munmap(mapped, mapLength);
    const bool faulted = activeMapping.faulted;
    activeMapping.faulted = 0;
    const bool shorter = shrank(fd, size);
    if (faulted || shorter) {
      // A fault with the file at its full size is a failed read of the disk (SIGBUS means EIO then).
      napi_value error, code, message;
      const char* text = shorter ? "the file shrank while it was being read (it is read as it was when opened)"
                                 : "a read of the file failed (an I/O error)";
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
      napi_create_string_utf8(env, shorter ? "ESHRANK" : "EIO", NAPI_AUTO_LENGTH, &code);
      napi_create_error(env, code, message, &error);
      napi_throw(env, error);
      return nullptr;
    }
  }
  if (session.failed()) return session.result("scanRange");
  napi_value bytesArray, tailValue;
  void* bytes = nullptr;
  napi_value bytesBuffer;
  if (napi_create_arraybuffer(env, fallbackBytes.size(), &bytes, &bytesBuffer) != napi_ok ||
      napi_create_typedarray(env, napi_uint8_array, fallbackBytes.size(), bytesBuffer, 0, &bytesArray) != napi_ok ||
      napi_create_uint32(env, tail ? 1 : 0, &tailValue) != napi_ok) {
    return throwError(env, "scanRange: out of memory");
  }
  if (!fallbackBytes.empty()) std::memcpy(bytes, fallbackBytes.data(), fallbackBytes.size());
  return session.result("scanRange", {bytesArray, tailValue});
}
#endif

napi_value LineCounts(napi_env env, napi_callback_info) {
  Scanner* scanner = scannerOf(env);
  if (scanner == nullptr) return throwError(env, "lineCounts: scanner state missing");
  napi_value result, fast, dom;
  if (napi_create_array_with_length(env, 2, &result) != napi_ok || napi_create_double(env, scanner->fastLines, &fast) != napi_ok ||
      napi_create_double(env, scanner->domLines, &dom) != napi_ok || napi_set_element(env, result, 0, fast) != napi_ok ||
      napi_set_element(env, result, 1, dom) != napi_ok) {
    return throwError(env, "lineCounts: building the result failed");
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
      {"lineCounts", nullptr, LineCounts, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
#if ENGINE1_MAPPED
      {"scanRange", nullptr, ScanRange, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
#endif
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return nullptr;
  return exports;
}
