import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { projectRoot } from '../core/paths.js';
import { readApi } from './mcp/client.js';
import { createMcpServer } from './mcp/server.js';

export interface McpIo {
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/**
 * `arrakis mcp [--url URL]`: an MCP server on stdin/stdout for Claude Code (or any MCP client),
 * answering from an Arrakis server's read API. It starts whatever the server's state: each
 * call says what is wrong instead, so a server started later is simply found. Stdout carries
 * the protocol alone; it runs until the client closes stdin.
 */
export async function mcpCommand(args: string[], { env = process.env, stdin = process.stdin, stdout = process.stdout }: McpIo = {}): Promise<number> {
  const at = args.indexOf('--url');
  const url = at >= 0 ? args[at + 1] : undefined;
  const unknown = args.filter((arg, i) => !(i === at || (at >= 0 && i === at + 1)));
  if ((at >= 0 && !url) || unknown.length > 0) {
    process.stderr.write(`arrakis mcp: usage: arrakis mcp [--url URL]${unknown.length > 0 ? ` (unknown: ${unknown.join(' ')})` : ''}\n`);
    return 2;
  }
  let api;
  try {
    api = readApi({ url, env });
  } catch {
    process.stderr.write(`arrakis mcp: not a URL: ${url ?? env.ARRAKIS_URL}\n`);
    return 2;
  }
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const server = createMcpServer(api, version);
  const closed = new Promise<void>((done) => {
    stdin.once('end', done);
    stdin.once('close', done);
  });
  await server.connect(new StdioServerTransport(stdin as never, stdout as never));
  await closed;
  await server.close();
  return 0;
}
