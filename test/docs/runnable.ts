/**
 * The blocks of a Markdown file marked runnable, turned into one bash script per name, so that a
 * test runs exactly what the text prints.
 *
 * A marker is an HTML comment (invisible on GitHub) on the line before a fenced block, at the same
 * indentation:
 * - `<!-- runnable: NAME -->` before a `sh` block: its lines run, in order, in script NAME;
 * - `<!-- runnable: NAME file=PATH -->` before any block: script NAME writes the block to PATH.
 * Blocks of one name run in one shell, in document order, so `export`s carry over between them.
 */
import { spawn } from 'node:child_process';

/** One marked block, its indentation removed. */
export interface RunnableBlock {
  script: string;
  file?: string;
  lang: string;
  body: string;
}

const MARKED = /^( *)<!-- runnable: (\S+)(?: file=(\S+))? -->\n\1```(\w+)\n([\s\S]*?)\n\1```$/gm;

/** Every marked block of `markdown`, in document order. */
export function runnableBlocks(markdown: string): RunnableBlock[] {
  return [...markdown.matchAll(MARKED)].map(([, indent, script, file, lang, body]) => ({
    script: script!,
    file,
    lang: lang!,
    body: body!
      .split('\n')
      .map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l))
      .join('\n'),
  }));
}

/** The bash script of one name: `set -e`, then the blocks (file blocks as quoted here-documents). */
export function scriptOf(blocks: RunnableBlock[], name: string): string {
  const mine = blocks.filter((b) => b.script === name);
  if (mine.length === 0) throw new Error(`no block is marked "runnable: ${name}"`);
  const parts = mine.map((block) => {
    if (block.file !== undefined) return `cat > '${block.file}' <<'RUNNABLE_EOF'\n${block.body}\nRUNNABLE_EOF`;
    if (block.lang !== 'sh') throw new Error(`a runnable ${block.lang} block needs file=PATH`);
    return block.body;
  });
  return ['set -e', ...parts].join('\n') + '\n';
}

/** What a script printed (stdout and stderr interleaved) and how it ended. */
export interface ScriptResult {
  code: number | null;
  out: string;
}

/**
 * Runs a script with bash in `cwd` in its own process group, which is killed afterwards so that
 * nothing the script left in the background (a simulator) outlives it.
 */
export function runScript(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const killGroup = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      out += `\n[killed after ${timeoutMs} ms]`;
      killGroup();
    }, timeoutMs);
    // A background job keeps the pipes open: stop the group once bash exits, then collect the rest.
    let code: number | null = null;
    child.on('exit', (exitCode) => {
      code = exitCode;
      clearTimeout(timer);
      killGroup();
    });
    child.on('close', () => resolve({ code, out }));
  });
}
