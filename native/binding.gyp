{
  "variables": {
    "simdjson_src": "<!(node simdjson-dir.cjs)"
  },
  "targets": [
    {
      "target_name": "engine1_scanner",
      "sources": ["scanner.cc", "<(simdjson_src)/simdjson.cpp"],
      "include_dirs": ["<(simdjson_src)"],
      "defines": ["NAPI_VERSION=8", "SIMDJSON_EXCEPTIONS=0", "NDEBUG"],
      "cflags!": ["-O2"],
      "cflags_cc!": ["-O2"],
      "cflags": ["-O3"],
      "cflags_cc": ["-O3", "-std=gnu++17"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "CLANG_CXX_LANGUAGE_STANDARD": "gnu++17",
        "MACOSX_DEPLOYMENT_TARGET": "10.15"
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "Optimization": 2, "AdditionalOptions": ["/std:c++17"] }
      }
    }
  ]
}
