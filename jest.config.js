/** Jest runs TypeScript as native ESM through ts-jest (transpile only; `npm run typecheck` checks types). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, diagnostics: false }],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  testTimeout: 20000,
  reporters: ["default", "<rootDir>/test/dialect-reporter.cjs"],
  setupFiles: ["<rootDir>/test/setup-env.ts"],
  // Builds dist/ for the tests that start the CLI, and provides PostgreSQL (embedded when none runs).
  globalSetup: "<rootDir>/test/global/global-setup.ts",
  globalTeardown: "<rootDir>/test/global/global-teardown.ts",
};
