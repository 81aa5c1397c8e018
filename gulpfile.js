// tsc copies no assets: n8n reads the icons and the codex (*.node.json) from beside the
// built .node.js, so they are copied into dist/. The credential's icon points at the
// node's (file:../nodes/Crego/crego.svg), so credentials/ has no assets of its own.
const { task, src, dest } = require('gulp');

task('build:icons', () => src(['nodes/**/*.svg', 'nodes/**/*.node.json']).pipe(dest('dist/nodes')));
