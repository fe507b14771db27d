// npm's `prepare` hook: builds dist/ when the checkout is installed (npm install, npm ci), but not
// when `npx pulse` links this checkout into npm's exec cache: that runs `prepare` too, and a
// rebuild there took 16 s and rewrote dist/ under a running hub.
import { spawnSync } from 'node:child_process';

if (process.env.npm_command === 'exec') process.exit(0);
const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
