// `npm run bench`: the service from dist/ on SQLite and on PostgreSQL, driven by autocannon, beside
// the physical limits measured in the same run (a bare Fastify server for GET /users/me/, raw
// argon2 for POST /token). Prints one table of figures, targets and verdicts, and writes it to
// docs/benchmarks.md with the machine and the command, below the page's written summary (kept).
//   npm run bench                 about 13 minutes
//   npm run bench -- --soak       adds a 5-minute soak (SOAK_SECONDS to change)
//   BENCH_SECONDS=20 npm run bench   longer runs per scenario (default 8)
//   BENCH_ONLY=attack npm run bench  the "under attack" scenario alone (table printed, not written)
//   BENCH_ONLY=tokens npm run bench  introspection and the signing algorithms alone (printed, not written)
//   BENCH_BASELINE=HEAD~1 npm run bench  this build against another commit's, taking turns (printed, not written)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';
import pg from 'pg';
import { load, logIn, send, startNode, tokenFor } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SOAK_SECONDS = process.argv.includes('--soak') ? Number(process.env.SOAK_SECONDS ?? 300) : 0;
const POSTGRES = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET_KEY = '8860c3f2972bf2a6767fada694a4d8b56c2f3edb1b8a415d68cf45c1520e8700';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The built server in `root`, and Node's flags as that checkout's `npm run start:prod` gives them. */
function buildIn(root) {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  return { main: join(root, 'dist/server.js'), nodeFlags: scripts['start:prod'].split(' ').filter((word) => word.startsWith('--')) };
}

/** This checkout's build: what every scenario measures, unless told otherwise. */
const CURRENT = buildIn(ROOT);
const { nodeFlags: NODE_FLAGS } = CURRENT;
const TUTORIAL_HASH = '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
// The service with its default settings: the "under attack" scenario runs it so.
const DEFAULT_ENV = {
  // Production refuses the demo users every scenario logs in as.
  NODE_ENV: 'development',
  SECRET_KEY,
  DEMO_DATA: 'true',
  LOG_LEVEL: 'warn',
};
// Every other scenario drives the service from one address (127.0.0.1) as one user, which the
// service's defences would answer with 429s or end sessions of; they measure throughput and
// latency, so those defences are raised out of the way:
const SERVICE_ENV = {
  ...DEFAULT_ENV,
  // Lock-out limits: the unknown-user and wrong-password scenario would measure 429s and delays
  // rather than logins.
  LOGIN_MAX_FAILURES: '1000000',
  LOGIN_ADDRESS_MAX_FAILURES: '1000000',
  LOGIN_DELAY_MAX_MS: '0',
  // Per-address login limits (120 checks a minute, 4 hashes waiting): the login storm and the
  // `POST /token` run would measure 429s rather than logins. The whole queue (HASH_QUEUE_LIMIT)
  // keeps its default, and its 503s are counted as before.
  PASSWORD_CHECKS_PER_ADDRESS: '1000000',
  HASH_QUEUE_PER_ADDRESS: '10000',
  // The unknown-user and wrong-password scenario compares verification times; the 500 ms floor
  // on failures would hide them (both would answer at 500 ms).
  LOGIN_FAILURE_MIN_MS: '0',
  // Past 100 sessions a login ends johndoe's oldest, which is the readers' token: the storm's
  // logins would turn the `/users/me/` calls into 401s.
  MAX_SESSIONS_PER_USER: '1000000',
  // One client introspects without pause, far past 600 a minute: a million a second instead, so that
  // the `/introspect` run measures introspections rather than 429s.
  INTROSPECT_MAX_PER_CLIENT: '1000000',
  INTROSPECT_WINDOW_SECONDS: '1',
};

const log = (message) => process.stderr.write(`${message}\n`);
const pct = (part, whole) => (100 * part) / whole;

// ----- ceilings ------------------------------------------------------------------------------

async function argon2Ceiling() {
  let best = { concurrency: 0, perSecond: 0 };
  for (let concurrency = 1; concurrency <= os.availableParallelism(); concurrency += 1) {
    const end = Date.now() + (SECONDS / 2) * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          await argon2.verify(TUTORIAL_HASH, 'secret');
          done += 1;
        }
      }),
    );
    const perSecond = done / (SECONDS / 2);
    log(`  argon2 at concurrency ${concurrency}: ${perSecond.toFixed(1)}/s`);
    if (perSecond > best.perSecond) best = { concurrency, perSecond };
  }
  return best;
}

/** The bare server, left running so that it can take turns with the service. */
function startBareFastify() {
  return startNode(fileURLToPath(new URL('./bare-fastify.mjs', import.meta.url)), { SECRET_KEY }, '/health/live');
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * `/users/me/` on the bare server and on the service, taking turns for ROUNDS rounds, each at its
 * best: on a shared machine a quiet moment then favours neither.
 */
async function meAgainstCeiling(bareBase, serviceBase, headers, connections) {
  const best = { bare: undefined, service: undefined };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, base] of [['bare', bareBase], ['service', serviceBase]]) {
      const result = await load({ url: `${base}/users/me/`, connections, duration: SECONDS, headers });
      if (!best[name] || result.rps > best[name].rps) best[name] = result;
    }
  }
  return best;
}

// ----- the service -----------------------------------------------------------------------------

let schemas = 0;
async function postgresSchema() {
  // A name of its own each: the under-attack scenario's schema lives beside the main one.
  schemas += 1;
  const schema = `bench_${process.pid}_${schemas}`;
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(POSTGRES);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: POSTGRES });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** The built service on `databaseUrl`, started as `npm run start:prod` starts it. */
function startService(databaseUrl, env = {}, base = SERVICE_ENV, build = CURRENT) {
  return startNode(build.main, { ...base, ...env, DATABASE_URL: databaseUrl }, '/health/live', build.nodeFlags);
}

/** `POST /token` as johndoe, for autocannon. */
function loginRequest(base) {
  return { url: `${base}/token`, method: 'POST', headers: FORM, body: 'username=johndoe&password=secret' };
}

/** 32 clients call `/users/me/` while 16 others log in without pause: [those calls, the logins]. */
function loginStorm(base, headers) {
  return Promise.all([
    load({ url: `${base}/users/me/`, connections: 32, duration: SECONDS, headers }),
    load({ ...loginRequest(base), connections: 16, duration: SECONDS }),
  ]);
}

async function serviceScenarios(databaseUrl, bare) {
  const service = await startService(databaseUrl);
  try {
    const me = `${service.base}/users/me/`;
    const headers = { authorization: `Bearer ${await tokenFor(service.base, 'johndoe', 'secret')}` };
    const login = loginRequest(service.base);
    log('  warm-up');
    await load({ url: me, connections: 32, duration: 3, headers });
    await load({ url: `${bare.base}/users/me/`, connections: 32, duration: 2, headers });
    const rssWarm = service.rssMb();
    log('  100,000 requests');
    await load({ url: me, connections: 32, amount: 100_000, headers });
    const rss100k = service.rssMb();
    log(`  /users/me/ at 32 and 128 connections, ${ROUNDS} rounds against the bare server`);
    const at32 = await meAgainstCeiling(bare.base, service.base, headers, 32);
    const at128 = await meAgainstCeiling(bare.base, service.base, headers, 128);
    const [me32, me128] = [at32.service, at128.service];
    log('  POST /token');
    const token = await load({ ...login, connections: 8, duration: SECONDS });
    log('  /users/me/ during a login storm');
    const [storm, stormLogins] = await loginStorm(service.base, headers);
    const rssStorm = service.rssMb();
    // Let the storm's queued logins drain before timing single logins.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    log('  unknown user and wrong password, side by side');
    const [unknown, wrong] = await Promise.all([
      load({ ...login, body: 'username=nobody&password=wrong', connections: 1, duration: SECONDS, expect: 401 }),
      load({ ...login, body: 'username=johndoe&password=wrong', connections: 1, duration: SECONDS, expect: 401 }),
    ]);
    let soak;
    if (SOAK_SECONDS > 0) {
      log(`  soak, ${SOAK_SECONDS} s`);
      // The soak's load: `/users/me/` at 32 connections and one client logging in without pause.
      const soakLoad = (seconds) =>
        Promise.all([
          load({ url: me, connections: 32, duration: seconds, headers }),
          load({ ...login, connections: 1, duration: seconds }),
        ]);
      // Both readings follow the same load (V8 shrinks its young generation when idle, and grows it
      // again under load), each 3 s after it, so that neither counts a hash's 64 MiB in flight.
      const settled = async () => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        return service.rssMb();
      };
      await soakLoad(SECONDS);
      const before = await settled();
      await soakLoad(SOAK_SECONDS);
      soak = { before, after: await settled() };
    }
    return { me32, me128, bare32: at32.bare, bare128: at128.bare, token, storm, stormLogins, unknown, wrong, rssWarm, rss100k, rssStorm, soak };
  } finally {
    await service.stop();
  }
}

/**
 * The login storm again with the hashing threads at other priorities (HASH_NICE), each on a new
 * service: what requests lose and logins gain as hashing gets more of the CPU.
 */
async function stormAtPriorities(databaseUrl, nices) {
  const result = {};
  for (const nice of nices) {
    const service = await startService(databaseUrl, { HASH_NICE: String(nice) });
    try {
      const me = `${service.base}/users/me/`;
      const headers = { authorization: `Bearer ${await tokenFor(service.base, 'johndoe', 'secret')}` };
      await load({ url: me, connections: 32, duration: 2, headers });
      const unloaded = await load({ url: me, connections: 32, duration: SECONDS, headers });
      const [storm, logins] = await loginStorm(service.base, headers);
      result[nice] = { unloaded, storm, logins };
    } finally {
      await service.stop();
    }
  }
  return result;
}

// Under attack: the service at its defaults, with a client address for each party. autocannon
// cannot bind a local address, so the readers come from 127.0.0.1; the others bind their own.
const ADDRESSES = { flood: '127.0.0.2', guesses: '127.0.0.3', bodies: '127.0.0.4', bystander: '127.0.0.5' };
const ATTACK_SECONDS = 2 * SECONDS;

/**
 * For ATTACK_SECONDS: bench/attackers.mjs (a flood of correct logins as johndoe, wrong guesses
 * over many names, 1 MiB bodies), while alice logs in one login after another and 32 clients read
 * `/users/me/` as stanley (a user nobody floods, so no login ends the readers' session). Memory is
 * sampled every 100 ms; the peak is the larger of that and the kernel's VmHWM.
 */
async function underAttack(databaseUrl) {
  const service = await startService(databaseUrl, {}, DEFAULT_ENV);
  try {
    const me = `${service.base}/users/me/`;
    const headers = { authorization: `Bearer ${await tokenFor(service.base, 'stanley', 'secret')}` };
    const bystanderAgent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: ADDRESSES.bystander });
    const alice = { path: '/token', headers: FORM, body: Buffer.from('username=alice&password=secret') };
    // alice has logged in from her address before the attack begins, as an owner would have.
    const first = await send(service.base, bystanderAgent, alice);
    if (first.status !== 200) throw new Error(`alice's first login answered ${first.status ?? first.error}`);
    await load({ url: me, connections: 32, duration: 2, headers });

    const cpuBefore = { service: service.cpuSeconds(), driver: process.cpuUsage() };
    let peakRss = service.rssMb();
    const sampler = setInterval(() => {
      if (service.alive()) peakRss = Math.max(peakRss, service.rssMb());
    }, 100);
    const attackers = spawn(process.execPath, [fileURLToPath(new URL('./attackers.mjs', import.meta.url))], {
      env: {
        PATH: process.env.PATH,
        ATTACK_BASE: service.base,
        ATTACK_SECONDS: String(ATTACK_SECONDS),
        ATTACK_FLOOD_ADDRESS: ADDRESSES.flood,
        ATTACK_GUESS_ADDRESS: ADDRESSES.guesses,
        ATTACK_BODIES_ADDRESS: ADDRESSES.bodies,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    attackers.stdout.on('data', (chunk) => (output += chunk));
    const attacked = new Promise((resolve, reject) =>
      attackers.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`attackers exited with ${code}`)))),
    );
    const bystander = async () => {
      const end = Date.now() + ATTACK_SECONDS * 1000;
      const latencies = [];
      const statuses = {};
      while (Date.now() < end) {
        const startedAt = performance.now();
        const answer = await send(service.base, bystanderAgent, alice);
        latencies.push(performance.now() - startedAt);
        const key = answer.error ? `error:${answer.error}` : String(answer.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      return { latencies: latencies.sort((a, b) => a - b), statuses };
    };
    const [readers, logins, attack] = await Promise.all([load({ url: me, connections: 32, duration: ATTACK_SECONDS, headers }), bystander(), attacked]);
    clearInterval(sampler);
    const { user, system } = process.cpuUsage(cpuBefore.driver);
    // Who had the cores: the service, the attackers, this process (the readers and the bystander).
    const cpu = { service: service.alive() ? service.cpuSeconds() - cpuBefore.service : NaN, attackers: attack.cpuSeconds, driver: (user + system) / 1e6 };
    bystanderAgent.destroy();
    const alive = service.alive() && (await fetch(`${service.base}/health/live`).then((r) => r.status === 200, () => false));
    return { readers, logins, attack, cpu, peakRss: Math.max(peakRss, service.alive() ? service.peakRssMb() : 0), alive };
  } finally {
    await service.stop();
  }
}

/** On a schema of its own, new as SQLite's file is: no sessions left by the other scenarios. */
async function underAttackOnPostgres() {
  const schema = await postgresSchema();
  try {
    return await underAttack(schema.url);
  } finally {
    await schema.drop();
  }
}

async function coldStart(databaseUrl) {
  const service = await startService(databaseUrl);
  await service.stop();
  return service.startMs;
}

async function scaling(databaseUrl) {
  const result = {};
  for (const workers of [1, 2]) {
    // Its workers inherit the flags.
    const cluster = await startNode(fileURLToPath(new URL('./cluster.mjs', import.meta.url)), { ...SERVICE_ENV, DATABASE_URL: databaseUrl, WORKERS: String(workers) }, '/health/live', NODE_FLAGS);
    try {
      // Every worker must be up before measuring: wait until /health/live has been served by `workers` distinct pids is not observable, so give the others time.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const headers = { authorization: `Bearer ${await tokenFor(cluster.base, 'johndoe', 'secret')}` };
      await load({ url: `${cluster.base}/users/me/`, connections: 64, duration: 2, headers });
      result[workers] = await load({ url: `${cluster.base}/users/me/`, connections: 64, duration: SECONDS, headers });
    } finally {
      await cluster.stop();
    }
  }
  return result;
}

// ----- introspection and the signing algorithms ------------------------------------------------

/** What `JWT_ALGORITHM` offers; HS256, the default, is the one the others are compared with. */
const ALGORITHMS = ['HS256', 'ES256', 'RS256'];

/** A new SQLite database, removed by `drop()`. */
function sqliteDatabase(name) {
  const file = `${os.tmpdir()}/bench-${process.pid}-${name}.db`;
  return {
    url: `sqlite:${file}`,
    async drop() {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** An OAuth2 client registered with the admin CLI, as an operator would: its `Authorization: Basic` header. */
function registerClient(databaseUrl, env) {
  const output = execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'create-client', 'bench', '--scopes', 'me items', '--json'], {
    env: { PATH: process.env.PATH, ...env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { client_id: id, client_secret: secret } = JSON.parse(output);
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/**
 * `POST /introspect` of `accessToken` by the client whose Basic header is `basic`, for autocannon;
 * tried once first, since `{"active": false}` would also answer 200.
 */
async function introspectRequest(base, basic, accessToken) {
  const request = { url: `${base}/introspect`, method: 'POST', headers: { ...FORM, authorization: basic }, body: `token=${accessToken}` };
  const response = await fetch(request.url, request);
  const answer = await response.text();
  if (response.status !== 200 || JSON.parse(answer).active !== true) throw new Error(`introspection answered ${response.status}: ${answer}`);
  return request;
}

/**
 * The refresh grant at `connections` connections. A refresh token is single use (a second use ends
 * its session), so each request takes one from a pool and its answer puts the new one back; the pool
 * starts with one login's token per connection, and the tokens in flight when the run stops are
 * lost, so every run logs in anew. Each refresh signs one access token beside its few database
 * reads and writes: what the signing algorithm costs shows here, where a login's argon2 hash would
 * hide it.
 */
async function refreshGrants(base, connections) {
  const pool = await Promise.all(Array.from({ length: connections }, async () => (await logIn(base, 'johndoe', 'secret')).refresh_token));
  return load({
    url: `${base}/token`,
    method: 'POST',
    headers: FORM,
    connections,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: `grant_type=refresh_token&refresh_token=${pool.shift()}` }),
        onResponse: (status, body) => {
          if (status === 200) pool.push(JSON.parse(body).refresh_token);
        },
      },
    ],
  });
}

/**
 * A new service for each JWT_ALGORITHM, each on a database of its own (`newDatabase(name)`), all
 * left running so that they take turns for ROUNDS rounds, each at its best: `/users/me/` at 32
 * connections on each, `POST /introspect` of the readers' token on the HS256 one right after its
 * `/users/me/`, and the refresh grant at 8 connections on each.
 */
async function tokenScenarios(newDatabase) {
  const services = {};
  const databases = [];
  let introspect;
  try {
    for (const algorithm of ALGORITHMS) {
      const database = await newDatabase(algorithm);
      databases.push(database);
      const env = { JWT_ALGORITHM: algorithm };
      const service = await startService(database.url, env);
      const accessToken = await tokenFor(service.base, 'johndoe', 'secret');
      const signedWith = JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url')).alg;
      if (signedWith !== algorithm) throw new Error(`JWT_ALGORITHM=${algorithm} signed with ${signedWith}`);
      services[algorithm] = { service, headers: { authorization: `Bearer ${accessToken}` } };
      await load({ url: `${service.base}/users/me/`, connections: 32, duration: 2, headers: services[algorithm].headers });
      if (algorithm === 'HS256') {
        introspect = await introspectRequest(service.base, registerClient(database.url, { ...SERVICE_ENV, ...env }), accessToken);
        await load({ ...introspect, connections: 32, duration: 2 });
      }
    }
    const best = { me: {}, refresh: {}, introspect: undefined };
    const better = (kept, result) => (!kept || result.rps > kept.rps ? result : kept);
    for (let round = 0; round < ROUNDS; round += 1) {
      log(`  round ${round + 1} of ${ROUNDS}`);
      for (const algorithm of ALGORITHMS) {
        const { service, headers } = services[algorithm];
        best.me[algorithm] = better(best.me[algorithm], await load({ url: `${service.base}/users/me/`, connections: 32, duration: SECONDS, headers }));
        if (algorithm === 'HS256') best.introspect = better(best.introspect, await load({ ...introspect, connections: 32, duration: SECONDS }));
        best.refresh[algorithm] = better(best.refresh[algorithm], await refreshGrants(service.base, 8));
      }
    }
    return best;
  } finally {
    for (const algorithm of ALGORITHMS) await services[algorithm]?.service.stop();
    for (const database of databases) await database.drop();
  }
}

// ----- against another commit ---------------------------------------------------------------------

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/**
 * `ref` checked out in a temporary git worktree that shares this checkout's node_modules, built as
 * that commit builds itself (`scripts/build.mjs` where it has one, `npm run build` otherwise).
 * `remove()` deletes the worktree.
 */
function buildBaseline(ref) {
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = join(mkdtempSync(join(os.tmpdir(), 'bench-baseline-')), 'checkout');
  git('worktree', 'add', '--detach', dir, commit);
  const remove = () => {
    // The link first, so that nothing removing the worktree can follow it into node_modules.
    rmSync(join(dir, 'node_modules'), { force: true });
    git('worktree', 'remove', '--force', dir);
    rmSync(dirname(dir), { recursive: true, force: true });
  };
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const [command, args] = existsSync(join(dir, 'scripts/build.mjs')) ? [process.execPath, ['scripts/build.mjs']] : ['npm', ['run', 'build']];
    log(`building ${ref} (${commit.slice(0, 10)}) in ${dir}`);
    // Its output on stderr: stdout carries only the table.
    execFileSync(command, args, { cwd: dir, stdio: ['ignore', 2, 2] });
    return { build: buildIn(dir), commit, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * One turn of `build`: started on a new SQLite database (its cold start, migrations and demo data
 * included), warmed up, then `/users/me/` at 32 connections and `POST /token` as in the main run.
 */
async function turnOf(build, name) {
  const file = `${os.tmpdir()}/bench-${process.pid}-${name}.db`;
  const service = await startService(`sqlite:${file}`, {}, SERVICE_ENV, build);
  try {
    const me = `${service.base}/users/me/`;
    const headers = { authorization: `Bearer ${await tokenFor(service.base, 'johndoe', 'secret')}` };
    await load({ url: me, connections: 32, duration: 3, headers });
    const cpuBefore = service.cpuSeconds();
    const users = await load({ url: me, connections: 32, duration: SECONDS, headers });
    // The service's own CPU time per answer: steadier than req/s on a shared machine, where the
    // load generator and anything else running take their share of the same cores.
    const meCpuUs = ((service.cpuSeconds() - cpuBefore) * 1e6) / users.total;
    const logins = await load({ ...loginRequest(service.base), connections: 8, duration: SECONDS });
    return { meRps: users.rps, meP99: users.p99, meCpuUs, loginRps: logins.rps, coldMs: service.startMs, bad: users.bad + logins.bad };
  } finally {
    await service.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * This checkout's build against `ref`'s, taking turns for ROUNDS rounds (who goes first alternates),
 * so that a busy moment of a shared machine falls on both. Returns the table of medians and of
 * new/old ratios, each the median of the rounds' own ratios.
 */
async function againstBaseline(ref) {
  const baseline = buildBaseline(ref);
  const rounds = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const turns = {};
      const order = round % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
      for (const which of order) {
        log(`  round ${round + 1} of ${ROUNDS}: ${which}`);
        turns[which] = await turnOf(which === 'old' ? baseline.build : CURRENT, `${which}-${round}`);
      }
      rounds.push(turns);
      log(`    /users/me/ ${f(turns.new.meRps)} vs ${f(turns.old.meRps)} req/s, logins ${f(turns.new.loginRps, 1)} vs ${f(turns.old.loginRps, 1)}/s, cold start ${f(turns.new.coldMs)} vs ${f(turns.old.coldMs)} ms (new vs old)`);
    }
  } finally {
    baseline.remove();
  }
  const head = git('rev-parse', '--short=10', 'HEAD');
  const changed = git('status', '--porcelain', '--untracked-files=no') !== '';
  const rows = [
    `| scenario (SQLite, median of ${ROUNDS} rounds of ${SECONDS} s) | old: ${ref} (${baseline.commit.slice(0, 10)}) | new: this checkout (${head}${changed ? ', with uncommitted changes' : ''}) | new/old | better |`,
    '|---|---|---|---|---|',
  ];
  const row = (what, pick, digits, unit, better) => {
    const values = (which) => rounds.map((turns) => pick(turns[which]));
    const ratio = median(rounds.map((turns) => pick(turns.new) / pick(turns.old)));
    rows.push(`| ${what} | ${f(median(values('old')), digits)}${unit} | ${f(median(values('new')), digits)}${unit} | ×${ratio.toFixed(2)} | ${better} |`);
  };
  row('`/users/me/` 32 conn.: req/s', (r) => r.meRps, 0, '', 'higher');
  row('`/users/me/` 32 conn.: p99', (r) => r.meP99, 0, ' ms', 'lower');
  row('`/users/me/` 32 conn.: service CPU per answer', (r) => r.meCpuUs, 0, ' µs', 'lower');
  row('`POST /token` 8 conn.: logins/s', (r) => r.loginRps, 1, '', 'higher');
  row('cold start: spawn to first 200', (r) => r.coldMs, 0, ' ms', 'lower');
  const bad = (which) => rounds.reduce((sum, turns) => sum + turns[which].bad, 0);
  if (bad('old') + bad('new') > 0) rows.push(`| answers not 200 (all rounds) | ${f(bad('old'))} | ${f(bad('new'))} | | |`);
  return rows.join('\n');
}

// ----- report ------------------------------------------------------------------------------------

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.availableParallelism()} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

function verdict(pass) {
  return pass ? 'pass' : '**miss**';
}

const f = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const TABLE_HEAD = ['| scenario | SQLite | PostgreSQL | target | verdict |', '|---|---|---|---|---|'];

/** The `p`th percentile of sorted `values`. */
const percentile = (values, p) => values[Math.max(0, Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1))];
/** Answers that are neither 2xx nor 4xx: 5xx, connection errors, timeouts. */
const failures = (counts) =>
  Object.entries(counts)
    .filter(([key]) => !/^[24]\d\d$/.test(key) && !key.endsWith('with Retry-After'))
    .reduce((sum, [, n]) => sum + n, 0);
const statusText = (counts) =>
  Object.entries(counts)
    .filter(([key]) => !key.endsWith('with Retry-After'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}: ${f(n)}${key === '429' ? ` (${f(counts['429 with Retry-After'] ?? 0)} with Retry-After)` : ''}`)
    .join(', ');

/** The rows of the "under attack" scenario, on SQLite and PostgreSQL. */
function attackRows(row, sqlite, postgres) {
  const both = (pick) => [pick(sqlite), pick(postgres)];
  const each = (test) => test(sqlite) && test(postgres);
  const logins = (r) => {
    const { latencies, statuses } = r.logins;
    const not200 = Object.entries(statuses).filter(([key]) => key !== '200');
    return `${f(percentile(latencies, 50))} / ${f(percentile(latencies, 99))} ms, ${f(latencies.length)} logins, ${not200.length ? not200.map(([key, n]) => `${key}: ${n}`).join(', ') : 'none'} not 200`;
  };
  const loginsPass = (r) => percentile(r.logins.latencies, 99) < 2000 && Object.keys(r.logins.statuses).every((key) => key === '200');
  row(`under attack (${ATTACK_SECONDS} s, defaults): bystander alice logging in one login after another (127.0.0.5): p50 / p99, count`, ...both(logins), 'p99 < 2 s, all 200', each(loginsPass));
  const readers = (r) => `${r.readers.p99} ms, ${f(r.readers.rps)} req/s${r.readers.bad ? `, ${f(r.readers.bad)} not 200` : ''}`;
  row('under attack: `/users/me/` 32 conn. (127.0.0.1, stanley\'s token): p99, req/s', ...both(readers), 'p99 < 50 ms, all 200', each((r) => r.readers.p99 < 50 && r.readers.bad === 0));
  row('under attack: peak RSS of the service (VmHWM, and VmRSS every 100 ms)', ...both((r) => `${f(r.peakRss)} MB`), '< 300 MB', each((r) => r.peakRss < 300));
  row(
    `under attack: CPU seconds used by the service / the attackers / the readers and bystander (of ${ATTACK_SECONDS * os.availableParallelism()})`,
    ...both((r) => `${f(r.cpu.service, 1)} / ${f(r.cpu.attackers, 1)} / ${f(r.cpu.driver, 1)}`),
    'reported',
    true,
  );
  row('under attack: service alive at the end (`/health/live` 200)', ...both((r) => (r.alive ? 'yes' : '**no**')), 'alive', each((r) => r.alive));
  row(
    'under attack: flood, 40 clients logging in as johndoe/secret (127.0.0.2): answers',
    ...both((r) => statusText(r.attack.flood)),
    'only 2xx / 4xx; 429s with Retry-After',
    each((r) => failures(r.attack.flood) === 0 && (r.attack.flood['429'] ?? 0) > 0 && r.attack.flood['429'] === r.attack.flood['429 with Retry-After']),
  );
  row('under attack: wrong guesses, 16 clients over known and unknown names (127.0.0.3): answers', ...both((r) => statusText(r.attack.guesses)), 'only 2xx / 4xx', each((r) => failures(r.attack.guesses) === 0));
  const bodies = (r) =>
    Object.entries(r.attack.bodies)
      .map(([kind, counts]) => `${kind} ${statusText(counts)}`)
      .join('; ');
  row(
    'under attack: 1 MiB bodies, 4 clients: JSON to `/users/signup`, form and multipart (declared, chunked) to `/token` (127.0.0.4): answers',
    ...both(bodies),
    'only 2xx / 4xx',
    each((r) => Object.values(r.attack.bodies).every((counts) => failures(counts) === 0)),
  );
}

function report({ ceiling, sqlite, postgres, cold, scale, priorities, tokens, attack }) {
  const rows = [];
  const row = (what, sqliteValue, postgresValue, target, pass) => rows.push(`| ${what} | ${sqliteValue} | ${postgresValue} | ${target} | ${verdict(pass)} |`);
  const clean = (...results) => results.every((r) => r.bad === 0);
  const both = (pick) => [pick(sqlite), pick(postgres)];

  const ceilingOf = (r) => `${f(r.bare32.rps)} / ${f(r.bare128.rps)} req/s, p99 ${r.bare32.p99} ms at 32`;
  row('ceiling: bare Fastify + HS256, 32 / 128 conn. (best of the rounds)', ceilingOf(sqlite), ceilingOf(postgres), 'measured', clean(sqlite.bare32, postgres.bare32, sqlite.bare128, postgres.bare128));
  row(`ceiling: argon2 verifies (best at concurrency ${ceiling.concurrency})`, `${f(ceiling.perSecond, 1)}/s`, '', 'measured', true);
  const [s, p] = both((r) => r.me32);
  row('`/users/me/` 32 conn.: req/s (% of ceiling)', `${f(s.rps)} (${f(pct(s.rps, sqlite.bare32.rps))}%)`, `${f(p.rps)} (${f(pct(p.rps, postgres.bare32.rps))}%)`, '≥ 50% on SQLite', pct(s.rps, sqlite.bare32.rps) >= 50 && clean(s, p));
  row('`/users/me/` 32 conn.: p50 / p99', `${s.p50} / ${s.p99} ms`, `${p.p50} / ${p.p99} ms`, 'p99 < 10 ms', s.p99 < 10);
  const [s128, p128] = both((r) => r.me128);
  row('`/users/me/` 128 conn.: req/s (% of ceiling), p99', `${f(s128.rps)} (${f(pct(s128.rps, sqlite.bare128.rps))}%), ${s128.p99} ms`, `${f(p128.rps)} (${f(pct(p128.rps, postgres.bare128.rps))}%), ${p128.p99} ms`, 'reported', clean(s128, p128));
  const [st, pt] = both((r) => r.token);
  row('`POST /token`: logins/s (% of argon2 ceiling)', `${f(st.rps, 1)} (${f(pct(st.rps, ceiling.perSecond))}%)`, `${f(pt.rps, 1)} (${f(pct(pt.rps, ceiling.perSecond))}%)`, '≥ 85%', pct(st.rps, ceiling.perSecond) >= 85 && pct(pt.rps, ceiling.perSecond) >= 85 && clean(st, pt));
  const [ss, ps] = both((r) => r.storm);
  row('login storm: `/users/me/` p99', `${ss.p99} ms`, `${ps.p99} ms`, '< 30 ms', ss.p99 < 30 && ps.p99 < 30);
  row('login storm: `/users/me/` req/s (% of unloaded)', `${f(ss.rps)} (${f(pct(ss.rps, s.rps))}%)`, `${f(ps.rps)} (${f(pct(ps.rps, p.rps))}%)`, '≥ 25%', pct(ss.rps, s.rps) >= 25 && pct(ps.rps, p.rps) >= 25 && clean(ss, ps));
  const [sl, pl] = both((r) => r.stormLogins);
  row('login storm: logins/s (% of argon2 ceiling)', `${f(sl.rps, 1)} (${f(pct(sl.rps, ceiling.perSecond))}%), ${sl.bad} refused`, `${f(pl.rps, 1)} (${f(pct(pl.rps, ceiling.perSecond))}%), ${pl.bad} refused`, '≥ 70%', pct(sl.rps, ceiling.perSecond) >= 70 && pct(pl.rps, ceiling.perSecond) >= 70);
  for (const [nice, r] of Object.entries(priorities).sort(([a], [b]) => b - a)) {
    row(
      `login storm at HASH_NICE=${nice}: \`/users/me/\` p99, % of unloaded; logins % of argon2 ceiling`,
      `${r.storm.p99} ms, ${f(pct(r.storm.rps, r.unloaded.rps))}%; ${f(r.logins.rps, 1)}/s (${f(pct(r.logins.rps, ceiling.perSecond))}%)`,
      '',
      'reported',
      r.storm.bad + r.logins.bad === 0,
    );
  }
  const gap = (r) => pct(Math.abs(r.unknown.p50 - r.wrong.p50), Math.min(r.unknown.p50, r.wrong.p50));
  const medians = (r) => `${r.unknown.p50} / ${r.wrong.p50} ms (${f(gap(r))}% apart)${r.unknown.bad + r.wrong.bad ? `, ${r.unknown.bad + r.wrong.bad} not 401` : ''}`;
  row('unknown user / wrong password: median', medians(sqlite), medians(postgres), 'within 10%', gap(sqlite) <= 10 && gap(postgres) <= 10);
  row('cold start: spawn to first 200', `${f(cold.sqlite)} ms`, `${f(cold.postgres)} ms`, '< 1,500 ms on SQLite', cold.sqlite < 1500);
  row('RSS after warm-up / after 100,000 `/users/me/` requests', `${f(sqlite.rssWarm)} / ${f(sqlite.rss100k)} MB`, `${f(postgres.rssWarm)} / ${f(postgres.rss100k)} MB`, '< 150 MB', sqlite.rss100k < 150 && postgres.rss100k < 150);
  row('RSS at the end of the login storm (2 hashes of 64 MiB at a time)', `${f(sqlite.rssStorm)} MB`, `${f(postgres.rssStorm)} MB`, 'reported', true);
  if (sqlite.soak) {
    const growth = (r) => pct(r.soak.after - r.soak.before, r.soak.before);
    row(`soak (${SOAK_SECONDS} s): RSS growth`, `${f(sqlite.soak.before)} → ${f(sqlite.soak.after)} MB (${f(growth(sqlite), 1)}%)`, `${f(postgres.soak.before)} → ${f(postgres.soak.after)} MB (${f(growth(postgres), 1)}%)`, '< 10%', growth(sqlite) < 10 && growth(postgres) < 10);
  }
  row('1 → 2 instances (node:cluster), `/users/me/` 64 conn., PostgreSQL', '', `${f(scale[1].rps)} → ${f(scale[2].rps)} req/s (×${(scale[2].rps / scale[1].rps).toFixed(2)})`, 'reported', clean(scale[1], scale[2]));
  tokenRows(row, tokens.sqlite, tokens.postgres);
  attackRows(row, attack.sqlite, attack.postgres);
  return [...TABLE_HEAD, ...rows].join('\n');
}

/** The rows of introspection and of the signing algorithms, on SQLite and PostgreSQL. */
function tokenRows(row, sqlite, postgres) {
  const both = (pick) => [pick(sqlite), pick(postgres)];
  const each = (test) => test(sqlite) && test(postgres);
  const share = (r) => pct(r.introspect.rps, r.me.HS256.rps);
  row(
    '`POST /introspect` of a live access token (client with HTTP Basic), 32 conn.: req/s (% of `/users/me/` on the same service, taking turns), p99',
    ...both((r) => `${f(r.introspect.rps)} (${f(share(r))}%), ${r.introspect.p99} ms${r.introspect.bad ? `, ${f(r.introspect.bad)} not 200` : ''}`),
    "≥ 80% of `/users/me/`'s req/s in the same run",
    each((r) => share(r) >= 80 && r.introspect.bad === 0),
  );
  const byAlgorithm = (pick) => (r) =>
    ALGORITHMS.map((algorithm) => {
      const result = pick(r)[algorithm];
      const ratio = algorithm === 'HS256' ? '' : ` (×${(result.rps / pick(r).HS256.rps).toFixed(2)})`;
      return `${algorithm} ${f(result.rps)}${ratio}, ${result.p99} ms${result.bad ? `, ${f(result.bad)} not 200` : ''}`;
    }).join('; ');
  const clean = (pick) => each((r) => ALGORITHMS.every((algorithm) => pick(r)[algorithm].bad === 0));
  row(
    '`/users/me/` 32 conn. by `JWT_ALGORITHM` (a new service each, taking turns): req/s (×HS256), p99',
    ...both(byAlgorithm((r) => r.me)),
    'reported (a verified token is remembered: near HS256)',
    clean((r) => r.me),
  );
  row(
    'refresh grant (`POST /token`, `grant_type=refresh_token`) 8 conn. by `JWT_ALGORITHM`: refreshes/s (×HS256), p99',
    ...both(byAlgorithm((r) => r.refresh)),
    'reported (the cost of signing)',
    clean((r) => r.refresh),
  );
}

// ----- run ----------------------------------------------------------------------------------------

const started = new Date();
const loadBefore = os.loadavg()[0];
log(`machine: ${machine()}`);
if (process.env.BENCH_ONLY === 'attack') {
  log('under attack (SQLite)');
  const sqliteAttack = await underAttack(`sqlite:${os.tmpdir()}/bench-attack-${process.pid}.db`);
  log('under attack (PostgreSQL)');
  const postgresAttack = await underAttackOnPostgres();
  const rows = [];
  attackRows((what, ...cells) => rows.push(`| ${what} | ${cells.slice(0, 3).join(' | ')} | ${verdict(cells[3])} |`), sqliteAttack, postgresAttack);
  console.log([...TABLE_HEAD, ...rows].join('\n'));
  log(`load average (1 min): ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`);
  process.exit(0);
} else if (process.env.BENCH_ONLY === 'tokens') {
  log('introspection and the signing algorithms (SQLite)');
  const sqliteTokens = await tokenScenarios(sqliteDatabase);
  log('introspection and the signing algorithms (PostgreSQL)');
  const postgresTokens = await tokenScenarios(postgresSchema);
  const rows = [];
  tokenRows((what, ...cells) => rows.push(`| ${what} | ${cells.slice(0, 3).join(' | ')} | ${verdict(cells[3])} |`), sqliteTokens, postgresTokens);
  console.log([...TABLE_HEAD, ...rows].join('\n'));
  log(`load average (1 min): ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`);
  process.exit(0);
} else if (process.env.BENCH_ONLY) throw new Error(`BENCH_ONLY knows only "attack" and "tokens", got "${process.env.BENCH_ONLY}"`);
if (process.env.BENCH_BASELINE) {
  log(`this build against ${process.env.BENCH_BASELINE}'s, taking turns`);
  console.log(await againstBaseline(process.env.BENCH_BASELINE));
  log(`load average (1 min): ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end`);
  process.exit(0);
}
log('argon2 ceiling');
const ceiling = await argon2Ceiling();
const sqliteUrl = `sqlite:${os.tmpdir()}/bench-${process.pid}.db`;
const bareServer = await startBareFastify();
let sqlite;
let postgres;
let scale;
let priorities;
const tokens = {};
const attack = {};
const pgSchema = await postgresSchema();
try {
  log('SQLite');
  sqlite = await serviceScenarios(sqliteUrl, bareServer);
  log('login storm at other hashing priorities (SQLite)');
  priorities = await stormAtPriorities(sqliteUrl, [5, 0]);
  log('introspection and the signing algorithms (SQLite)');
  tokens.sqlite = await tokenScenarios(sqliteDatabase);
  log('under attack (SQLite)');
  attack.sqlite = await underAttack(`sqlite:${os.tmpdir()}/bench-attack-${process.pid}.db`);
  log('PostgreSQL');
  postgres = await serviceScenarios(pgSchema.url, bareServer);
  log('introspection and the signing algorithms (PostgreSQL)');
  tokens.postgres = await tokenScenarios(postgresSchema);
  log('under attack (PostgreSQL)');
  attack.postgres = await underAttackOnPostgres();
  log('scaling 1 → 2 instances');
  scale = await scaling(pgSchema.url);
} finally {
  await pgSchema.drop();
  await bareServer.stop();
}
log('cold starts');
const cold = { sqlite: await coldStart(`sqlite:${os.tmpdir()}/bench-cold-${process.pid}.db`), postgres: 0 };
const coldSchema = await postgresSchema();
try {
  cold.postgres = await coldStart(coldSchema.url);
} finally {
  await coldSchema.drop();
}

const table = report({ ceiling, sqlite, postgres, cold, scale, priorities, tokens, attack });
console.log(table);
const command = `npm run bench${SOAK_SECONDS ? ' -- --soak' : ''}${process.env.BENCH_SECONDS ? ` (BENCH_SECONDS=${SECONDS})` : ''}`;
// The page's summary across runs is written by hand, above this marker; a run replaces what follows it.
const BENCHMARKS_PAGE = new URL('../docs/benchmarks.md', import.meta.url);
const RUN_MARKER = '<!-- Written by `npm run bench`: everything below this line is replaced by the next run. -->';
const previousPage = existsSync(BENCHMARKS_PAGE) ? readFileSync(BENCHMARKS_PAGE, 'utf8') : '';
const summary = previousPage.includes(RUN_MARKER) ? previousPage.slice(0, previousPage.indexOf(RUN_MARKER)) : '# Benchmarks\n\n';
writeFileSync(
  BENCHMARKS_PAGE,
  `${summary}${RUN_MARKER}

## The latest run

Measured with \`${command}\` on ${started.toISOString().slice(0, 10)}: ${machine()}.
Load average (1 min) from other work: ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end.
Each scenario runs ${SECONDS} s with autocannon in the same process that drives it, on the same
cores as the server, so every figure carries that cost; the ceilings are measured the same way in
the same run. The machine is shared and noisy: compare ratios within one run, not figures across
runs.

${table}

How to read it:

- **Ceilings.** \`bench/bare-fastify.mjs\` answers the same JSON as \`GET /users/me/\` after the
  same HS256 verification with a \`KeyObject\` key, with no database and no framework above Fastify.
  The argon2 ceiling is raw \`argon2.verify\` of the tutorial's hash (m=65536, t=3, p=4), the best
  over concurrency 1 to the core count.
- **The service** runs from \`dist/server.js\` as in production, with every per-request check of [the token rules](architecture.md#tokens-and-sessions-the-rules)
  (signature, claims, the user and the session read from the database), at \`LOG_LEVEL=warn\`
  (no line per request). Outside the under-attack scenario, which runs the defaults, the limits
  that would refuse or slow one client on one address are raised (\`SERVICE_ENV\` in
  \`bench/run.mjs\` says why each): the lock-out limits, the per-address login limits
  (\`PASSWORD_CHECKS_PER_ADDRESS\`, \`HASH_QUEUE_PER_ADDRESS\`) so that the login scenarios measure
  logins rather than 429s, the session cap (\`MAX_SESSIONS_PER_USER\`) so that logins as johndoe do
  not end the readers' session, and \`LOGIN_FAILURE_MIN_MS=0\` so that the unknown-user and
  wrong-password medians compare verification times rather than the 500 ms floor.
- **Login storm**: 16 clients log in without pause while 32 others call \`/users/me/\`; logins
  past the hashing queue (\`HASH_QUEUE_LIMIT\`) are refused with \`503 Server busy\` and counted.
  The service runs hashing at nice 10 (\`HASH_NICE\`); the rows at 5 and 0 show the trade: the
  closer hashing comes to the requests' priority, the more logins and the slower the requests.
- **RSS** is read after the warm-up (one login, 3 s of \`/users/me/\`), then after 100,000 more
  \`/users/me/\` requests, before any login scenario; argon2's working memory (64 MiB per hash in
  progress, \`HASH_CONCURRENCY\` at a time) shows at the end of the login storm instead. The
  soak's two readings each come 3 s after the same load (\`/users/me/\` and one client logging in),
  first for ${SECONDS} s, then for the soak's length: V8 shrinks its young generation when idle, so a
  reading after a quiet moment would not compare with one after load.
- **Introspection and the signing algorithms**: three new services, one per \`JWT_ALGORITHM\`
  (HS256, ES256, RS256), each on a database of its own, take turns for ${ROUNDS} rounds, each at its
  best. \`POST /introspect\` of the readers' token, by a client registered with the admin CLI and
  authenticating with HTTP Basic, runs on the HS256 service right after its \`/users/me/\`: it checks
  the token as \`/users/me/\` does and adds the client's check and its count
  (\`INTROSPECT_MAX_PER_CLIENT\` is raised out of the way), hence the 80% target. A token verified
  once is remembered, so \`/users/me/\` should come near HS256 under ES256 and RS256; what signing
  costs shows in the refresh grant instead, which signs one access token per request (and writes
  the session's new refresh token) with no argon2 hash, whose ~100 ms would hide a signature. Each
  refresh token is used once, by one connection; \`BENCH_ONLY=tokens npm run bench\` runs these
  scenarios alone and prints their rows.
- **Under attack**: a new service at its default settings, for ${ATTACK_SECONDS} s, each party on its
  own loopback address (the service counts its login limits per address): 40 clients log in as
  johndoe/secret without pause from 127.0.0.2; 16 clients guess wrong passwords over the demo
  names and unknown ones in turn from 127.0.0.3; 4 clients send 1 MiB bodies from 127.0.0.4 (JSON
  to \`POST /users/signup\`; form, multipart, and multipart chunked without a length to
  \`POST /token\`); alice logs in one login after another from 127.0.0.5 (once before the attack
  too, as an owner would have); and 32 autocannon connections read \`/users/me/\` from 127.0.0.1
  (autocannon cannot bind another address) with stanley's token: past \`MAX_SESSIONS_PER_USER\`
  the flood's logins end johndoe's oldest sessions, so the readers' token belongs to a user nobody
  floods. The attackers run in a process of their own (\`bench/attackers.mjs\`), so their loops do
  not hold up the event loop that times the readers and the bystander; a client refused at once
  asks again at once. Every answer to an attacker must be a 2xx or a 4xx (5xx, connection errors
  and timeouts are failures), and the flood must meet 429s with Retry-After: the proof that the
  service tells the addresses apart. The peak RSS is the larger of the kernel's \`VmHWM\` (the
  process is new) and \`VmRSS\` read every 100 ms. The CPU row shows who had the cores: here the
  attackers and the measuring clients share them with the service. \`BENCH_ONLY=attack npm run bench\`
  runs this scenario alone and prints its rows.
- **Cold start** is from process spawn to the first \`200\` of \`GET /health/live\`, on a new database
  (migrations and demo data included).
- **Several cores**: \`bench/cluster.mjs\` runs one service per core (or \`WORKERS\`) on one port with
  \`node:cluster\`; \`dist/server.js\` runs unchanged in each worker. On this 2-core machine the driver
  shares the cores with both workers, which caps the gain. Several hosts: run instances behind any
  HTTP balancer on one PostgreSQL and one Redis (docs/operations.md, "Several instances").
`,
);
log('written to docs/benchmarks.md');
