{
  "targets": [
    {
      "target_name": "node_exporter_native",
      "sources": ["native/syscalls.cc", "native/readcache.cc", "native/addon.cc"],
      # Headers only: node-addon-api's gyp target would add its own
      # NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS on top of ours (a redefinition).
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # A fixed Node-API level, not the build host's: the one .node must load on
      # every Node we support (20 offers 9, 24 offers 10).
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: while an environment is torn
      # down (worker.terminate()), libuv may still deliver a finished job; any
      # napi call that would run JS then fails, and node-addon-api's default
      # answer to a failed throw is a fatal error. We drop the result instead.
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      # Node's common.gypi already adds -fno-exceptions -fno-rtti; we only pin
      # the language level and keep our symbols out of the global namespace.
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "cflags": ["-fvisibility=hidden"],
      # -z nodelete: Node dlclose()s an addon when the last environment that
      # loaded it goes away (e.g. only worker_threads used it). Our detached
      # pool threads outlive environments, so the code must stay mapped.
      "ldflags": ["-pthread", "-Wl,-z,nodelete"]
    }
  ]
}
