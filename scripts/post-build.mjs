// Trunk's post-build hook. Trunk starts the hooks of one stage side by side, and these two steps
// must run in order: the split rewrites the module pair the loader then points at.
await import('./wasm-split.mjs');
await import('./trunk-loader.mjs');
