{
  # The workbook's native addon: sendfile(2), splice(2), a C read+write control loop, posix_fadvise,
  # mincore and getrusage for Node (src/native/); CRC32C and non-blocking socket sends for the Kafka
  # broker (crc32c.cc, socket_send.cc). Built by `npm run build:addon` (node-gyp, no download:
  # headers come from the installed Node). Off Linux the same source compiles to a stub that says so.
  "targets": [
    {
      "target_name": "zero_copy",
      "sources": ["src/native/zero-copy.cc", "src/native/crc32c.cc", "src/native/socket-send.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
