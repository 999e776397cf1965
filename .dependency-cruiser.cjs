/**
 * The layers of src/ and the one direction imports run between them (docs/architecture.md
 * describes them; an arrow reads "may import"):
 *
 *   action -> cli -> core          (cli/main.ts launches app, emulator, config by dynamic import only)
 *   app -> adapters -> ports -> core      (adapters -> core too)
 *   app -> emulator -> config -> core     (emulator -> core too)
 *   app -> anything
 *
 * Each rule's comment says why; a violation prints the rule's name.
 */
const LAYERS = "core|ports|adapters|config|app|cli|action|emulator";

/** A rule that lets files of `layer` import, within src, only the layers listed in `allowed`. */
function importsOnly(name, layer, allowed, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: `^src/${layer}/` },
    to: { path: "^src/", pathNot: `^src/(${allowed.join("|")})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: "core-imports-only-core",
      comment:
        "src/core is the product's rules: it must not know which SDK, database or HTTP stack carries them, so it imports nothing outside src/core: no ports, adapters, config, app, npm packages or Node built-ins. Give the core a port in src/core/ports instead.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { pathNot: "^src/core/" },
    },
    importsOnly(
      "ports-import-only-core",
      "ports",
      ["core", "ports"],
      "src/ports are the seams the app plugs adapters in with (surfaces, the request inbox, timers). They speak the core's language, so they import src/core and each other only; an import of an adapter or of the app would make every adapter depend on it.",
    ),
    {
      name: "ports-only-declare-outside-types",
      comment:
        "A port may name a type from a Node built-in or a package (IncomingMessage for HTTP mounts, pino's Logger) with `import type`, but must not run their code: adapters implement ports, ports do not depend on implementations.",
      severity: "error",
      from: { path: "^src/ports/" },
      to: { pathNot: "^src/", dependencyTypesNot: ["type-only"] },
    },
    importsOnly(
      "adapters-import-only-core-and-ports",
      "adapters",
      ["core", "ports", "adapters"],
      "Adapters translate between the outside world and the core: they import src/core, src/ports and other adapters, never src/app (the app plugs adapters in through ports, so an adapter importing it would run the wiring backwards), never src/config (adapters get the validated WhistlestopConfig, a core model, and read their own settings from the environment), and never the cli, action or emulator.",
    ),
    importsOnly(
      "config-imports-only-core",
      "config",
      ["core", "config"],
      "src/config turns whistlestop.yml into the core's WhistlestopConfig: it needs the core's model and nothing else in src, so the CLI's `config check` and the emulator can load a file without pulling in adapters or the app.",
    ),
    importsOnly(
      "emulator-imports-only-core-and-config",
      "emulator",
      ["core", "config", "emulator"],
      "The CodePipeline emulator stands in for AWS in tests, the sandbox and benchmarks. It must behave like AWS, not like Whistlestop, so it reads whistlestop.yml (config) and the core's model, never adapters, ports or the app (the app's sandbox uses the emulator, not the other way round).",
    ),
    {
      name: "cli-imports-only-client-code",
      comment:
        "The CLI is a client of the HTTP API: it imports its own files and pure core code (the API's result types, the command tokenizer), never adapters, ports, config, the app or the emulator, so `whistlestop deploy` loads no server code.",
      severity: "error",
      from: { path: "^src/cli/", pathNot: "^src/cli/main\\.ts$" },
      to: { path: "^src/", pathNot: "^src/(cli|core)/" },
    },
    {
      name: "cli-main-loads-server-code-lazily",
      comment:
        "src/cli/main.ts is also the launcher of `whistlestop start|sandbox|emulator|config check`. It may load server code only with a dynamic import(), so a client command never loads it.",
      severity: "error",
      from: { path: "^src/cli/main\\.ts$" },
      to: { path: "^src/", pathNot: "^src/(cli|core)/", dependencyTypesNot: ["dynamic-import"] },
    },
    {
      name: "cli-main-launches-only-entry-points",
      comment:
        "The launcher starts servers through their entry points only (app/start-server, app/store-commands for migrate and backup, emulator/emulator-main, config/check-config, and app/settings/secret-files for *_FILE secrets); anything else it needs belongs behind one of them.",
      severity: "error",
      from: { path: "^src/cli/main\\.ts$" },
      to: {
        path: "^src/",
        pathNot: "^src/(cli/|core/|app/start-server\\.ts$|app/store-commands\\.ts$|app/settings/secret-files\\.ts$|emulator/emulator-main\\.ts$|config/check-config\\.ts$)",
      },
    },
    {
      name: "action-imports-only-client-code",
      comment:
        "The GitHub Action is bundled into one file and runs on a CI runner: it imports its own files, the CLI's client code and pure core code, never the launcher (src/cli/main.ts) or anything it launches, so the bundle holds no server code.",
      severity: "error",
      from: { path: "^src/action/" },
      to: { path: "^src/", pathNot: "^src/(action|core)/|^src/cli/(?!main\\.ts$)" },
    },
    {
      name: "every-module-in-a-layer",
      comment: `Every file under src belongs to one of the layers (${LAYERS}), so one of the rules above covers it. A new folder joins a layer here first.`,
      severity: "error",
      from: { path: "^src/", pathNot: `^src/(${LAYERS})/` },
      to: {},
    },
    {
      name: "no-circular",
      comment: "A cycle makes two modules one: neither can change or be tested alone, and module start-up order starts to matter.",
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
