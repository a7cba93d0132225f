// Lint the extension (browser + WebExtension globals) and its Node unit tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["extension/vendor/**", "node_modules/**", "artifacts/**"] },
  js.configs.recommended,
  {
    files: ["extension/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.webextensions, browser: "readonly" },
    },
  },
  {
    files: ["tests/extension/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
  },
  {
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
];
