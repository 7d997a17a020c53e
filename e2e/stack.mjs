// A private Clara for the browser test: its own database on the local PostgreSQL, migrated and
// seeded with the demo workspace, a chat-api and an embedding worker started from the built jars
// on ports of their own. Everything it starts, it stops; the database is dropped at the end.
//
//   node stack.mjs     start it by hand and keep it up until Ctrl-C (prints the demo URL)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..');
export const TARGET = path.join(HERE, 'target');
const LOGS = path.join(TARGET, 'logs');
const JARS = path.join(TARGET, 'jars');

export const DEMO_WORKSPACE = '00000000-0000-0000-0000-00000000c1a4';
export const DEMO_PAIRS = 13;
const PG_PORT = process.env.CLARA_PG_PORT || '54329';
const API_PORT = Number(process.env.CLARA_E2E_CHAT_API_PORT || 18180);
const WORKER_PORT = Number(process.env.CLARA_E2E_WORKER_PORT || 18181);
/** Visitor messages one session may send per minute: low, so the 429 scenario is quick to reach. */
export const SESSION_BUDGET = 6;
const JVM_OPTS = (process.env.CLARA_SERVICE_JVM_OPTS
  || '-Xms64m -Xmx256m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m').split(/\s+/).filter(Boolean);

export const database = 'clara_test_e2e_' + randomBytes(4).toString('hex');
export const jdbcUrl = `jdbc:postgresql://127.0.0.1:${PG_PORT}/${database}`;
export const baseUrl = `http://127.0.0.1:${API_PORT}`;

export const since = (t) => ((Date.now() - t) / 1000).toFixed(1) + 's';
export const log = (...a) => console.log('# stack:', ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs one statement with psql (through the repository's own script) and returns its rows' text. */
export function sql(statement, db = database) {
  const run = spawnSync('bash', [path.join(REPO, 'deploy/postgres.sh'), 'psql', '-d', db, '-XqtA', '-v', 'ON_ERROR_STOP=1',
    '-c', statement], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql failed (${run.status}): ${statement}\n${run.stderr}`);
  return run.stdout.trim();
}

export function jar(module, name = module) {
  const built = path.join(REPO, module, 'target', name + '.jar');
  if (!existsSync(built)) throw new Error(`${built} is missing: build first (mvn -DskipTests package)`);
  // run a copy: a build running meanwhile must not replace a jar under a running JVM
  mkdirSync(JARS, { recursive: true });
  const copy = path.join(JARS, name + '.jar');
  copyFileSync(built, copy);
  return copy;
}

// the services' management ports (metrics): random, so the stack runs beside `./clara up` and
// beside other e2e runs; health stays on each service's own port
const MANAGEMENT_PORTS = {
  CLARA_CHAT_API_MANAGEMENT_PORT: '0', CLARA_EMBEDDING_WORKER_MANAGEMENT_PORT: '0',
  CLARA_GAP_DETECTOR_MANAGEMENT_PORT: '0', CLARA_CDC_RELAY_MANAGEMENT_PORT: '0',
};

export function java(name, args, env = {}) {
  mkdirSync(LOGS, { recursive: true });
  const out = openSync(path.join(LOGS, name + '.log'), 'a');
  const child = spawn('java', [...JVM_OPTS, ...args],
    { stdio: ['ignore', out, out], env: { ...process.env, ...MANAGEMENT_PORTS, ...env } });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return child;
}

export async function healthy(port, child, name, seconds = 240) {
  const t = Date.now();
  while (Date.now() - t < seconds * 1000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during start-up; see ${path.join(LOGS, name + '.log')}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/actuator/health`);
      if (res.ok && (await res.json()).status === 'UP') return;
    } catch (e) { /* not listening yet */ }
    await sleep(500);
  }
  throw new Error(`${name} not healthy after ${seconds}s; see ${path.join(LOGS, name + '.log')}`);
}

export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, sleep(30000).then(() => 'timeout')]);
  if (done === 'timeout') {
    child.kill('SIGKILL');
    await child.exited;
  }
}

export const running = new Set();
process.on('exit', () => running.forEach((child) => { try { child.kill('SIGKILL'); } catch (e) { /* gone */ } }));

let chatApiJar;
let chatApi;

/**
 * Starts (or restarts) the chat-api on this stack's database; resolves once it is healthy.
 * {@code env} adds environment (topics, for example); {@code sessionBudget} is the visitor
 * messages one session may send per minute; {@code llm} ({ baseUrl, apiKey }) is an
 * OpenAI-compatible server to answer with, given as a deployment's: OPENAI_BASE_URL, OPENAI_API_KEY.
 */
export async function startChatApi(env = {}, sessionBudget = SESSION_BUDGET, llm = null) {
  const t = Date.now();
  chatApiJar ??= jar('chat-api');
  chatApi = java('chat-api', ['-jar', chatApiJar, `--server.port=${API_PORT}`, `--spring.datasource.url=${jdbcUrl}`,
    // without an LLM the answers are extractive (deterministic), whatever key the environment holds
    ...(llm ? [] : ['--clara.openai.api-key=']),
    '--clara.chat.rate-limit.per-ip=100000', '--clara.chat.rate-limit.per-workspace=100000',
    `--clara.chat.rate-limit.per-session=${sessionBudget}`],
  // a JWT secret of its own for the owner API
  // live updates off unless asked for (env): they would read the topics of a running stack
  { CLARA_LIVE_ENABLED: 'false', ...env, OPENAI_API_KEY: llm ? llm.apiKey : '', ...(llm ? { OPENAI_BASE_URL: llm.baseUrl } : {}),
    CLARA_JWT_SECRET: process.env.CLARA_E2E_JWT_SECRET || randomBytes(24).toString('hex') });
  running.add(chatApi);
  await healthy(API_PORT, chatApi, 'chat-api');
  log(`chat-api healthy on :${API_PORT} after ${since(t)}`);
}

export async function stopChatApi() {
  const t = Date.now();
  await stop(chatApi);
  running.delete(chatApi);
  log(`chat-api stopped after ${since(t)}`);
}

/** This stack's database, migrated and seeded with the demo workspace. */
export async function createDatabase() {
  const t = Date.now();
  const schemaJar = jar('schema', 'schema-exec');
  sql(`CREATE DATABASE ${database}`, 'postgres');
  const env = { CLARA_DATABASE_URL: jdbcUrl };
  for (const command of ['migrate', 'seed-demo']) {
    const child = java('schema', ['-jar', schemaJar, command], env);
    const code = await child.exited;
    if (code !== 0) throw new Error(`schema ${command} failed (${code}); see ${path.join(LOGS, 'schema.log')}`);
  }
  log(`database ${database} migrated and seeded after ${since(t)}`);
}

/**
 * Database, migrations, demo seed, embedded demo pairs, a healthy chat-api. {@code pairs} ([{ question,
 * answer }]) are added to the demo workspace before the worker embeds; {@code llm} as startChatApi's.
 */
export async function up({ pairs = [], llm = null } = {}) {
  const t = Date.now();
  chatApiJar = jar('chat-api');
  const workerJar = jar('embedding-worker');
  await createDatabase();
  const text = (s) => `'${s.replace(/'/g, "''")}'`;
  pairs.forEach((p) => sql(`INSERT INTO qa_pairs (workspace_id, question, answer, category, source)
      VALUES ('${DEMO_WORKSPACE}', ${text(p.question)}, ${text(p.answer)}, 'general', 'manual')`));
  const embedded = DEMO_PAIRS + pairs.length;

  // the worker's start-up backfill embeds the demo pairs; no Kafka listener is needed for that
  const worker = java('embedding-worker', ['-jar', workerJar, `--server.port=${WORKER_PORT}`,
    `--spring.datasource.url=${jdbcUrl}`, '--spring.kafka.listener.auto-startup=false']);
  running.add(worker);
  await Promise.all([startChatApi({}, SESSION_BUDGET, llm), (async () => {
    const count = `SELECT count(*) FROM qa_pairs WHERE workspace_id = '${DEMO_WORKSPACE}' AND embedding IS NOT NULL`;
    const t0 = Date.now();
    while (Number(sql(count)) < embedded) {
      if (worker.exitCode !== null) throw new Error(`embedding-worker exited; see ${path.join(LOGS, 'embedding-worker.log')}`);
      if (Date.now() - t0 > 240000) throw new Error('the demo pairs were not embedded within 240s');
      await sleep(1000);
    }
    log(`${embedded} demo pairs embedded after ${since(t)}`);
  })()]);
  await stop(worker);
  running.delete(worker);
  log(`stack up after ${since(t)} (embedding worker stopped: its work is done)`);
}

export async function down() {
  await Promise.all([...running].map(stop));
  running.clear();
  try {
    sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, 'postgres');
  } catch (e) {
    console.error('# stack: could not drop', database, e.message);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('SIGINT', () => down().then(() => process.exit(0)));
  up().then(() => console.log(`demo page: ${baseUrl}/  (database ${database}; Ctrl-C stops everything)`),
    (e) => { console.error(e); down().then(() => process.exit(1)); });
}

/**
 * Starts one more service of this run from its jar (relay, worker, detector) and waits until it is
 * healthy; {@code services} collects it for {@link stopServices}.
 */
export async function startService(services, name, port, env) {
  const t = Date.now();
  const child = java(name, ['-jar', jar(name), `--server.port=${port}`], env);
  running.add(child);
  services.push(child);
  await healthy(port, child, name);
  log(`${name} healthy on :${port} after ${since(t)}`);
}

/** Stops the run's services, then drops its replication slot (it pins the database) and the stack. */
export async function stopServices(services, slot) {
  await Promise.all(services.map(stop));
  services.forEach((child) => running.delete(child));
  try {
    sql(`SELECT pg_drop_replication_slot('${slot}') FROM pg_replication_slots WHERE slot_name = '${slot}'`, 'postgres');
  } catch (e) {
    console.error('# could not drop slot', slot, e.message);
  }
  await down();
}

/** Polls a condition until it holds (its value) or the deadline passes (an error naming it). */
export async function until(what, condition, seconds = 120) {
  const t = Date.now();
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() - t > seconds * 1000) throw new Error(`not within ${seconds}s: ${what}`);
    await sleep(500);
  }
}

/** The demo owner's access token, signed in through the owner API. */
export async function demoOwnerToken() {
  const res = await fetch(`${baseUrl}/api/owner/auth/signin`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'demo@clara.local', password: 'clara-demo' }),
  });
  if (res.status !== 200) throw new Error(`demo sign-in answered ${res.status}: ${await res.text()}`);
  return (await res.json()).access_token;
}
