// `n8n-node build` compiles and copies the icons (and any __schema__ JSON) into dist/, but
// not the codex (*.node.json), which n8n reads from beside the built .node.js: copied here.
// The credential's icon points at the node's (file:../nodes/Crego/crego.svg).
const { task, src, dest } = require('gulp');

task('build:codex', () => src(['nodes/**/*.node.json']).pipe(dest('dist/nodes')));
