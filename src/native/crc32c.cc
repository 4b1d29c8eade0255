// CRC32C (Castagnoli), the checksum of Kafka's RecordBatch v2, for the broker and the consumers.
//
//   crc32c(bytes, start = 0, end = bytes.length, previous = 0) -> number   (unsigned 32-bit)
//   crc32cImplementation() -> "sse4.2" | "table"
//
// On x86-64 with SSE4.2 the `crc32` instruction does 8 bytes per instruction. One instruction depends on
// the previous one (3 cycles latency, 1 per cycle throughput), so the loop runs three independent streams
// over three blocks and joins them by "shifting" a CRC over a block of zeros (Mark Adler's crc32c.c,
// zlib licence, does the same). Elsewhere a portable slicing-by-8 table loop gives the same results.
// Test vector (RFC 3720, iSCSI, appendix B.4): crc32c("123456789") = 0xE3069283.
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define WORKBOOK_CRC32C_HW 1
#endif

namespace {

// The reflected Castagnoli polynomial 0x1EDC6F41.
constexpr uint32_t kPoly = 0x82f63b78;

uint32_t table8[8][256];  // table8[k][b]: CRC of byte b followed by k zero bytes

/** Builds the slicing-by-8 tables; called once by InitTables. */
void BuildSliceTables() {
  for (uint32_t b = 0; b < 256; b++) {
    uint32_t c = b;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ kPoly : c >> 1;
    table8[0][b] = c;
  }
  for (uint32_t b = 0; b < 256; b++) {
    for (int t = 1; t < 8; t++) table8[t][b] = table8[0][table8[t - 1][b] & 0xff] ^ (table8[t - 1][b] >> 8);
  }
}

/** Portable CRC over raw register values (no pre/post inversion); eight bytes per step. */
uint32_t CrcTable(uint32_t crc, const uint8_t* p, size_t n) {
  while (n >= 8) {
    uint32_t lo;
    std::memcpy(&lo, p, 4);  // little-endian load; the tables assume it (x86, arm64)
    lo ^= crc;
    crc = table8[7][lo & 0xff] ^ table8[6][(lo >> 8) & 0xff] ^ table8[5][(lo >> 16) & 0xff] ^ table8[4][lo >> 24] ^
          table8[3][p[4]] ^ table8[2][p[5]] ^ table8[1][p[6]] ^ table8[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n--) crc = table8[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

#ifdef WORKBOOK_CRC32C_HW

// Block sizes of the three-stream loops: long blocks for the bulk, short ones for the rest.
constexpr size_t kLong = 8192;
constexpr size_t kShort = 256;

uint32_t zerosLong[4][256];   // shifts a CRC over kLong zero bytes, one table per byte of the CRC
uint32_t zerosShort[4][256];  // the same over kShort zero bytes

/** GF(2) matrix (32 columns) times a vector. */
uint32_t Gf2Times(const uint32_t* mat, uint32_t vec) {
  uint32_t sum = 0;
  for (; vec; vec >>= 1, mat++) {
    if (vec & 1) sum ^= *mat;
  }
  return sum;
}

/** square = mat * mat: the operator applied twice. */
void Gf2Square(uint32_t* square, const uint32_t* mat) {
  for (int n = 0; n < 32; n++) square[n] = Gf2Times(mat, mat[n]);
}

/** The operator that runs a CRC register over `len` zero bytes; `len` must be a power of two. */
void ZerosOperator(uint32_t* even, size_t len) {
  uint32_t odd[32];
  odd[0] = kPoly;  // one zero bit
  for (int n = 1; n < 32; n++) odd[n] = 1u << (n - 1);
  Gf2Square(even, odd);  // two zero bits
  Gf2Square(odd, even);  // four zero bits
  // Each square doubles the run of zeros: the first gives one byte (8 bits), then 2, 4, ... bytes.
  for (;;) {
    Gf2Square(even, odd);
    len >>= 1;
    if (len == 0) return;
    Gf2Square(odd, even);
    len >>= 1;
    if (len == 0) break;
  }
  std::memcpy(even, odd, sizeof odd);
}

/** Byte-wise lookup tables for the zeros operator of `len` bytes. */
void BuildZeros(uint32_t zeros[4][256], size_t len) {
  uint32_t op[32];
  ZerosOperator(op, len);
  for (uint32_t n = 0; n < 256; n++) {
    zeros[0][n] = Gf2Times(op, n);
    zeros[1][n] = Gf2Times(op, n << 8);
    zeros[2][n] = Gf2Times(op, n << 16);
    zeros[3][n] = Gf2Times(op, n << 24);
  }
}

/** The CRC register after running over the zero bytes the table was built for. */
inline uint32_t Shift(const uint32_t zeros[4][256], uint32_t crc) {
  return zeros[0][crc & 0xff] ^ zeros[1][(crc >> 8) & 0xff] ^ zeros[2][(crc >> 16) & 0xff] ^ zeros[3][crc >> 24];
}

/** Runs three crc32 streams over three adjacent blocks of `block` bytes and joins them. */
__attribute__((target("sse4.2"))) inline uint64_t ThreeBlocks(uint64_t crc0, const uint8_t*& p, size_t& n, size_t block,
                                                              const uint32_t zeros[4][256]) {
  while (n >= 3 * block) {
    uint64_t crc1 = 0, crc2 = 0;
    const uint8_t* end = p + block;
    do {
      uint64_t a, b, c;
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + block, 8);
      std::memcpy(&c, p + 2 * block, 8);
      crc0 = _mm_crc32_u64(crc0, a);
      crc1 = _mm_crc32_u64(crc1, b);
      crc2 = _mm_crc32_u64(crc2, c);
      p += 8;
    } while (p < end);
    // crc(A B C) = shift(shift(crc(A)) ^ crc(B)) ^ crc(C), the streams of B and C started from zero.
    crc0 = Shift(zeros, static_cast<uint32_t>(crc0)) ^ crc1;
    crc0 = Shift(zeros, static_cast<uint32_t>(crc0)) ^ crc2;
    p += 2 * block;
    n -= 3 * block;
  }
  return crc0;
}

/** Hardware CRC over raw register values. */
__attribute__((target("sse4.2"))) uint32_t CrcHardware(uint32_t crc, const uint8_t* p, size_t n) {
  uint64_t crc0 = crc;
  while (n && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    crc0 = _mm_crc32_u8(static_cast<uint32_t>(crc0), *p++);
    n--;
  }
  crc0 = ThreeBlocks(crc0, p, n, kLong, zerosLong);
  crc0 = ThreeBlocks(crc0, p, n, kShort, zerosShort);
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    crc0 = _mm_crc32_u64(crc0, word);
    p += 8;
    n -= 8;
  }
  while (n--) crc0 = _mm_crc32_u8(static_cast<uint32_t>(crc0), *p++);
  return static_cast<uint32_t>(crc0);
}

#endif

bool useHardware = false;

/** Builds the tables and picks the implementation; runs once when the addon loads. */
void InitTables() {
  BuildSliceTables();
#ifdef WORKBOOK_CRC32C_HW
  __builtin_cpu_init();
  useHardware = __builtin_cpu_supports("sse4.2");
  if (useHardware) {
    BuildZeros(zerosLong, kLong);
    BuildZeros(zerosShort, kShort);
  }
#endif
}

/** CRC32C of p[0, n) continuing from `previous` (0 for a fresh checksum), with Kafka's inversions. */
uint32_t Crc32c(uint32_t previous, const uint8_t* p, size_t n) {
  uint32_t crc = ~previous;
#ifdef WORKBOOK_CRC32C_HW
  if (useHardware) return ~CrcHardware(crc, p, n);
#endif
  return ~CrcTable(crc, p, n);
}

/** Reads optional argument i as a whole number in [0, max]; `fallback` when absent. */
bool OptionalIndex(const Napi::CallbackInfo& info, size_t i, const char* name, double fallback, double max, double* out) {
  if (i >= info.Length() || info[i].IsUndefined()) {
    *out = fallback;
    return true;
  }
  double v = info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1;
  if (!(v >= 0) || v > max || v != static_cast<double>(static_cast<int64_t>(v))) {
    Napi::RangeError::New(info.Env(), std::string("crc32c: ") + name + " must be a whole number from 0 to " +
                                          std::to_string(static_cast<int64_t>(max)))
        .ThrowAsJavaScriptException();
    return false;
  }
  *out = v;
  return true;
}

/** JS: crc32c(bytes, start?, end?, previous?). */
Napi::Value Crc32cJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "crc32c: bytes must be a Buffer or Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  if (array.TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "crc32c: bytes must be a Buffer or Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto bytes = array.As<Napi::Uint8Array>();
  double length = static_cast<double>(bytes.ElementLength());
  double start, end, previous;
  if (!OptionalIndex(info, 1, "start", 0, length, &start) || !OptionalIndex(info, 2, "end", length, length, &end) ||
      !OptionalIndex(info, 3, "previous", 0, 4294967295.0, &previous)) {
    return env.Undefined();
  }
  if (start > end) {
    Napi::RangeError::New(env, "crc32c: start must not be after end").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint32_t crc = Crc32c(static_cast<uint32_t>(previous), bytes.Data() + static_cast<size_t>(start),
                        static_cast<size_t>(end - start));
  return Napi::Number::New(env, crc);
}

Napi::Value ImplementationJs(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), useHardware ? "sse4.2" : "table");
}

}  // namespace

/** Adds crc32c and crc32cImplementation to the addon's exports; called by the addon's Init. */
void RegisterCrc32c(Napi::Env env, Napi::Object exports) {
  static bool initialised = false;
  if (!initialised) {
    InitTables();
    initialised = true;
  }
  exports.Set("crc32c", Napi::Function::New(env, Crc32cJs, "crc32c"));
  exports.Set("crc32cImplementation", Napi::Function::New(env, ImplementationJs, "crc32cImplementation"));
}
