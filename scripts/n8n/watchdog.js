// @ts-check
'use strict';

/**
 * `node watchdog.js <ownerPid> <groupPid>...`: started detached by `npm start`. When the
 * owner (the `npm start` process) is gone — even killed outright, with no chance to clean
 * up — it stops the given process groups (n8n and its task runner): SIGTERM, then SIGKILL
 * after 10 s. It exits by itself once the owner and the groups are gone.
 */

const [ownerPid, ...groups] = process.argv.slice(2).map(Number);

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};
const signalGroup = (pid, signal) => {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
};

const timer = setInterval(() => {
	const running = groups.filter(alive);
	if (running.length === 0) process.exit(0);
	if (alive(ownerPid)) return;
	clearInterval(timer);
	for (const pid of running) signalGroup(pid, 'SIGTERM');
	setTimeout(() => {
		for (const pid of groups) signalGroup(pid, 'SIGKILL');
		process.exit(0);
	}, 10_000);
	setInterval(() => {
		if (!groups.some(alive)) process.exit(0);
	}, 250);
}, 500);
