// Every ```console example in README.md, SECURITY.md and docs/*.md, run against the built server, so
// that a changed answer fails here instead of misleading a reader.
//
// A block is a run of `$ command` lines (a line ending in `\` continues on the next), each followed
// by the output it prints, stdout and stderr together. The block's commands run in order in one bash
// process (a variable set by one is there for the next), in the project's folder, with the
// environment the server runs with (so `npm run cli -- …` works on the server's database), and
// `http://127.0.0.1:8000` pointing at the server. The output must be the one shown, except that `…`
// stands for any run of characters (tokens, ids, dates, headers left out) and trailing whitespace is
// ignored. A line starting with `#` at the start of a block, after a blank line or after another
// such line, is a comment, not output.
//
// A block that cannot run here (it needs a container engine, a TLS host, minutes of benchmark) is
// preceded by `<!-- not run: the reason -->`, and is reported as skipped with that reason. Blocks
// share one server but not their state: each signs up users of its own, and may log in as the demo
// users.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MAIN, startBuiltServer } from './support/built-server.js';

const DOCUMENTS = [
  'README.md',
  'SECURITY.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].sort();

/** The address examples are written for. */
const DOCUMENTED_BASE = 'http://127.0.0.1:8000';

/**
 * What the server runs with besides its port and database, and the examples' shell too: `npm start`'s
 * defaults (development, demo data, a random key, default limits), and a token for /metrics.
 */
const SERVER_ENV = { NODE_ENV: 'development', METRICS_TOKEN: 'docs-examples-metrics-token-0123456789' };

/** How long one block may take: `npm run cli` builds first when dist/ is stale. */
const BLOCK_TIMEOUT_MS = 120_000;

interface Step {
  command: string;
  expected: string;
}

interface Block {
  file: string;
  /** Line of the opening fence, counted from 1. */
  line: number;
  steps: Step[];
  /** Why the block is not run, when a `<!-- not run: … -->` marker precedes it. */
  notRun?: string;
}

interface Markers {
  /** Lines of `not run` markers that give no reason. */
  withoutReason: number[];
  /** Lines of `not run` markers not directly followed by a console block. */
  astray: number[];
}

const NOT_RUN = /^<!--\s*not run\b:?\s*(.*?)\s*-->$/;
const FENCE = /^(\s*)(`{3,})\s*(\S*)\s*$/;

/** The console blocks of one document, and what is wrong with its `not run` markers. */
function readDocument(file: string): { blocks: Block[]; markers: Markers } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  const markers: Markers = { withoutReason: [], astray: [] };
  let pendingMarker: { line: number; reason: string } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    const marker = NOT_RUN.exec(text.trim());
    if (marker) {
      if (pendingMarker) markers.astray.push(pendingMarker.line);
      pendingMarker = { line: index + 1, reason: marker[1] };
      if (marker[1] === '') markers.withoutReason.push(index + 1);
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (text.trim() !== '' && pendingMarker) {
        markers.astray.push(pendingMarker.line);
        pendingMarker = undefined;
      }
      continue;
    }
    const [, indent, ticks, language] = fence;
    const end = lines.findIndex((candidate, at) => at > index && candidate.trim() === ticks);
    const body = lines.slice(index + 1, end === -1 ? lines.length : end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    if (language === 'console') {
      blocks.push({ file, line: index + 1, steps: readSteps(body, file, index + 1), notRun: pendingMarker?.reason });
    } else if (pendingMarker) {
      markers.astray.push(pendingMarker.line);
    }
    pendingMarker = undefined;
    index = end === -1 ? lines.length : end;
  }
  if (pendingMarker) markers.astray.push(pendingMarker.line);
  return { blocks, markers };
}

/** The commands of a block and the output shown after each. */
function readSteps(body: string[], file: string, fenceLine: number): Step[] {
  const steps: { command: string; output: string[] }[] = [];
  let commentAllowed = true;
  for (let index = 0; index < body.length; index++) {
    const line = body[index];
    if (line === '$' || line.startsWith('$ ')) {
      const command = [line.slice(2)];
      while (command[command.length - 1].endsWith('\\') && index + 1 < body.length) command.push(body[++index]);
      steps.push({ command: command.join('\n'), output: [] });
      commentAllowed = false;
    } else if (line.trim() === '') {
      steps[steps.length - 1]?.output.push('');
      commentAllowed = true;
    } else if (commentAllowed && line.startsWith('#')) {
      continue;
    } else if (steps.length === 0) {
      throw new Error(`${file}:${fenceLine}: output before the first command: ${line}`);
    } else {
      steps[steps.length - 1].output.push(line);
      commentAllowed = false;
    }
  }
  return steps.map(({ command, output }) => ({ command, expected: normalise(output.join('\n')) }));
}

/** Without carriage returns, trailing whitespace on each line, or trailing blank lines. */
function normalise(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

/** True when `actual` is `expected` with each `…` standing for any run of characters. */
function matches(actual: string, expected: string): boolean {
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(actual);
}

/** Runs a block's commands in one bash; returns each command's output, in order. */
function runBlock(block: Block, base: string, env: Record<string, string>): Promise<string[]> {
  const marker = `@@docs-example-${randomUUID()}`;
  // Between two commands, a line marks where one's output ends; `$?` is kept for the next (`echo $?`).
  const mark = (label: string | number) => `docs_example_status=$?; printf '\\n%s\\n' '${marker} ${label}'; (exit $docs_example_status)`;
  const script = ['exec 2>&1', ...block.steps.flatMap((step, index) => [mark(index), step.command.replaceAll(DOCUMENTED_BASE, base)]), mark('end')];
  return new Promise((resolve, reject) => {
    const shell = spawn('bash', ['-c', script.join('\n')], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'], timeout: BLOCK_TIMEOUT_MS });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    shell.on('error', reject);
    shell.on('close', () => {
      const outputs = block.steps.map((_step, index) => {
        const start = output.indexOf(`${marker} ${index}\n`);
        const next = output.indexOf(`\n${marker} ${index + 1 < block.steps.length ? index + 1 : 'end'}\n`, start);
        if (start === -1) return '(never ran)';
        const text = output.slice(start + `${marker} ${index}\n`.length, next === -1 ? undefined : next);
        return next === -1 ? `${text}\n(the block stopped here)` : text;
      });
      resolve(outputs);
    });
  });
}

/** The anchors of a Markdown file's headings, as GitHub makes them. */
function headingAnchors(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line));
  return new Set(
    headings.map((line) =>
      line
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

function firstCommandLine(block: Block): string {
  return block.steps[0]?.command.split('\n')[0] ?? '(no command)';
}

const documents = DOCUMENTS.map((file) => ({ file, ...readDocument(file) }));

let server: Awaited<ReturnType<typeof startBuiltServer>>;
let shellEnv: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('dist/server.js is missing: run `npm run build` first (npm test does)');
  server = await startBuiltServer(SERVER_ENV);
  // Ready: migrated, demo data loaded, database answering.
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${server.base}/health/ready`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`${server.base}/health/ready never answered 200:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  shellEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? server.dir,
    ...SERVER_ENV,
    PORT: new URL(server.base).port,
    DATABASE_URL: `sqlite:${join(server.dir, 'data', 'app.db')}`,
  };
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe.each(documents)('$file', ({ file, blocks, markers }) => {
  it('gives a reason for every block it does not run, just before a console block', () => {
    expect({ file, withoutReason: markers.withoutReason, astray: markers.astray }).toEqual({ file, withoutReason: [], astray: [] });
  });

  for (const block of blocks) {
    const name = `line ${block.line}: $ ${firstCommandLine(block)}`;
    if (block.notRun !== undefined) {
      it.skip(`${name} (not run: ${block.notRun})`, () => undefined);
      continue;
    }
    it(
      name,
      async () => {
        expect(block.steps.length).toBeGreaterThan(0);
        const outputs = await runBlock(block, server.base, shellEnv);
        block.steps.forEach((step, index) => {
          const actual = normalise(outputs[index]);
          const expected = step.expected.replaceAll(DOCUMENTED_BASE, server.base);
          // On a mismatch, the diff shows the command, what the document says and what came.
          if (!matches(actual, expected)) expect({ command: step.command, output: actual }).toEqual({ command: step.command, output: expected });
        });
      },
      BLOCK_TIMEOUT_MS + 5_000,
    );
  }
});

describe('the documents', () => {
  it('show the README tour as examples that run', () => {
    const readme = documents.find((document) => document.file === 'README.md')!;
    expect(readme.blocks.filter((block) => block.notRun === undefined).length).toBeGreaterThan(0);
  });

  it('link only to files and headings that exist', () => {
    const broken = DOCUMENTS.flatMap((file) => {
      const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1])
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => {
          const [path, anchor] = target.split('#');
          const linked = path === '' ? file : join(dirname(file), path);
          if (!existsSync(linked)) return true;
          return anchor !== undefined && !headingAnchors(linked).has(anchor);
        })
        .map((target) => `${file}: ${target}`);
    });
    expect(broken).toEqual([]);
  });

  it("list every variable of .env.example in docs/operations.md's configuration table", () => {
    const variables = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    const table = readFileSync('docs/operations.md', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .join('\n');
    expect(variables.filter((variable) => !table.includes(`\`${variable}\``))).toEqual([]);
  });
});
