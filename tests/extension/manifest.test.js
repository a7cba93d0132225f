import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const manifest = JSON.parse(read("extension/manifest.json"));

describe("manifest", () => {
  it("asks only for the four permissions and no host up front", () => {
    assert.deepEqual([...manifest.permissions].sort(), ["activeTab", "contextMenus", "scripting", "storage"]);
    assert.equal(manifest.host_permissions, undefined);
    assert.deepEqual(manifest.optional_host_permissions, ["http://*/*", "https://*/*"]);
  });

  it("declares one background for Chrome and Firefox", () => {
    assert.equal(manifest.manifest_version, 3);
    assert.equal(manifest.background.service_worker, "background.js");
    assert.deepEqual(manifest.background.scripts, ["background.js"]);
    assert.equal(manifest.background.type, "module");
    assert.ok(manifest.browser_specific_settings.gecko.id);
  });

  it("forbids inline and remote scripts on its pages", () => {
    assert.match(manifest.content_security_policy.extension_pages, /script-src 'self';/);
    for (const page of ["extension/reader/reader.html", "extension/options/options.html"]) {
      const html = read(page);
      assert.match(html, /Content-Security-Policy" content="default-src 'none'; script-src 'self';/);
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, `${page} has an inline script`);
      assert.doesNotMatch(html, /\son[a-z]+=/i, `${page} has an inline event handler`);
    }
  });

  it("points only at files that exist", () => {
    const paths = [
      ...Object.values(manifest.icons),
      ...Object.values(manifest.action.default_icon),
      manifest.background.service_worker,
      manifest.options_ui.page,
    ];
    for (const path of paths) assert.ok(existsSync(new URL(`extension/${path}`, root)), path);
  });

  it("has a shortcut for the toolbar action", () => {
    assert.equal(manifest.commands._execute_action.suggested_key.default, "Alt+Shift+R");
  });
});

describe("vendored DOMPurify", () => {
  const pinned = JSON.parse(read("package.json")).devDependencies.dompurify;

  it("is the version pinned in package.json, with its licences", () => {
    assert.match(pinned, /^\d+\.\d+\.\d+$/, "pin an exact version");
    assert.ok(read("extension/vendor/purify.es.mjs").startsWith(`/*! @license DOMPurify ${pinned} `));
    assert.match(read("extension/vendor/DOMPurify-LICENSE"), /Apache License/);
    assert.match(read("extension/vendor/DOMPurify-LICENSE-MPL"), /Mozilla Public License/);
  });
});
