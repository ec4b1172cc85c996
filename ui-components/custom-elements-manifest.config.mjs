// package.json names the manifest itself ("customElements"); the analyzer must not rewrite that
// field, least of all when a test writes a throwaway manifest elsewhere (test/manifest.test.ts).
export default { packagejson: false }
