/** The core is the product's rules; it must not know which SDK, database or HTTP stack carries them. */
module.exports = {
  forbidden: [
    {
      name: "core-imports-only-core",
      comment: "src/core imports nothing outside src/core: no adapters, config, app, npm packages or Node built-ins. Give the core a port instead.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { pathNot: "^src/core/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
