// @ts-check
'use strict';

/**
 * Who holds a port: for `npm start`'s message when a port is busy. Reads Linux's
 * /proc/net/tcp{,6} for the listening socket and /proc/<pid>/fd for its owner.
 */

const fs = require('node:fs');
const net = require('node:net');

/** Whether something accepts connections on 127.0.0.1:port. */
function portInUse(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}

/** The process listening on this TCP port, if this machine lets us see it. */
function whoListens(port) {
	const inodes = new Set();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = fs.readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// local address "0100007F:2254", state 0A = LISTEN, inode in field 9
			if (fields.length > 9 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port)
				inodes.add(fields[9]);
		}
	}
	if (inodes.size === 0) return undefined;
	for (const entry of safeList('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		for (const fd of safeList(`/proc/${entry}/fd`)) {
			let target = '';
			try {
				target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
			} catch {
				continue;
			}
			const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
			if (inode && inodes.has(inode)) {
				let command = '';
				try {
					command = fs
						.readFileSync(`/proc/${entry}/cmdline`, 'utf8')
						.split('\0')
						.filter(Boolean)
						.join(' ');
				} catch {
					// gone meanwhile
				}
				return { pid: Number(entry), command };
			}
		}
	}
	return undefined;
}

/**
 * The `npm start` script (scripts/start.js) that started this process, if one did: the
 * process to stop, rather than the n8n or sandbox it started (stopping n8n alone would
 * leave the script, the sandbox and the mailbox behind).
 */
function startScriptAbove(pid) {
	let current = pid;
	for (let depth = 0; depth < 4 && current > 1; depth++) {
		let command = '';
		let parent = 0;
		try {
			command = fs.readFileSync(`/proc/${current}/cmdline`, 'utf8').split('\0').join(' ');
			parent = Number(
				/^\d+ \(.*\) \S+ (\d+)/s.exec(fs.readFileSync(`/proc/${current}/stat`, 'utf8'))?.[1] ?? 0,
			);
		} catch {
			return undefined;
		}
		if (/scripts[\\/]start\.js/.test(command)) return current;
		current = parent;
	}
	return undefined;
}

function safeList(dir) {
	try {
		return fs.readdirSync(dir);
	} catch {
		return [];
	}
}

/** Whether a process with this id is alive. */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

module.exports = { portInUse, whoListens, startScriptAbove, alive };
