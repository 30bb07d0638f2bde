import type { Command } from 'commander';
import { printJson, printTable } from '../output';

export function registerMcp(program: Command): void {
  const mcp = program.command('mcp').description('the MCP server for AI assistants (SPEC §9)');
  mcp
    .command('serve')
    .description('serve the MCP tools on MCP_ADDR (default 0.0.0.0:8082): POST /mcp, GET /mcp/sse, GET /health; Ctrl-C stops it')
    .action(async () => {
      // Loaded on use: the tool registry pulls in every service, which other commands do not need.
      const { runMcpServer } = await import('../../mcp/main');
      await runMcpServer({
        onListening: (server, { authTokenUser }) => {
          console.log(`MCP server listening on ${server.url}/mcp (Streamable HTTP) and ${server.url}/mcp/sse (HTTP+SSE)`);
          console.log(
            authTokenUser
              ? `Authorization: Bearer $MCP_AUTH_TOKEN acts as user ${authTokenUser}; personal access tokens work too`
              : 'MCP_AUTH_TOKEN is not set: only personal access tokens are accepted (Settings → Personal access tokens)',
          );
        },
      });
    });
  mcp
    .command('tools')
    .description('list the MCP tools from the registry (--markdown: the table for the README)')
    .option('--json', 'machine-readable output')
    .option('--markdown', 'a Markdown table')
    .action(async (options: { json?: boolean; markdown?: boolean }) => {
      const { allTools } = await import('../../mcp/tools');
      const rows = allTools.map((tool) => ({
        name: tool.name,
        kind: tool.annotations.readOnlyHint ? 'read' : tool.annotations.destructiveHint ? 'write (destructive)' : 'write',
        description: tool.description.split('\n')[0],
      }));
      if (options.json) return printJson(rows);
      if (options.markdown) {
        console.log('| Tool | Scope | What it does |');
        console.log('| --- | --- | --- |');
        for (const row of rows) console.log(`| \`${row.name}\` | ${row.kind} | ${row.description.replace(/\|/g, '\\|')} |`);
        return;
      }
      printTable(rows, [
        { key: 'name', header: 'tool' },
        { key: 'kind', header: 'scope' },
        { key: 'description', header: 'description' },
      ]);
    });
}
