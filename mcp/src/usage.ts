import { DEFAULT_MAX_BATCH_SIZE, DEFAULT_PORT } from './config.ts'
import { TOOLSETS } from './tools/catalog.ts'

export function usage(): string {
  return `segmentflow-mcp: the self-hosted SegmentFlow MCP server

Usage:
  segmentflow-mcp [serve] [flags]     serve tools over stdio (default) or HTTP
  segmentflow-mcp list-scopes [flags] print the scopes each tool needs [--json]

API (flags win over environment variables):
  --api-key <key>              SEGMENTFLOW_API_KEY; prefer the variable: flags show in process lists
  --base-url <url>             SEGMENTFLOW_BASE_URL (default https://api.segmentflow.ai)
  --sandbox                    SEGMENTFLOW_SANDBOX=1; run against an embedded in-memory sandbox

Which tools are offered (a tool must pass every filter; hidden tools are also refused when called):
  --toolsets <a,b>             SEGMENTFLOW_TOOLSETS; any of ${TOOLSETS.join(', ')}
  --tools <a,b>                SEGMENTFLOW_TOOLS; only these tools
  --exclude-tools <a,b>        SEGMENTFLOW_EXCLUDE_TOOLS; never these tools
  --read-only                  SEGMENTFLOW_READ_ONLY=1; only tools that change nothing (always wins)
  --scopes <a,b>               SEGMENTFLOW_SCOPES; the key's scopes: tools needing others are hidden

Sending (emails_send, emails_batch_send, events_track):
  --allow-sends                SEGMENTFLOW_ALLOW_SENDS=1; off by default
  --allowed-recipients <p,q>   SEGMENTFLOW_ALLOWED_RECIPIENTS; e.g. "*@example.com,ops@acme.com"
  --max-batch-size <n>         SEGMENTFLOW_MAX_BATCH_SIZE (default ${DEFAULT_MAX_BATCH_SIZE}, at most 100)
  --from <address>             SEGMENTFLOW_FROM; the sender, e.g. "Acme <receipts@acme.com>"
  --reply-to <address>         SEGMENTFLOW_REPLY_TO
  --sender-profile-id <uuid>   SEGMENTFLOW_SENDER_PROFILE_ID
  --allowed-senders <p,q>      SEGMENTFLOW_ALLOWED_SENDERS; other senders a model may pick: address
                               patterns ("*@news.acme.com") and sender profile ids
  --max-sends-per-hour <n>     SEGMENTFLOW_MAX_SENDS_PER_HOUR; emails and events per rolling hour

Tool list:
  --tools-mode static|dynamic  SEGMENTFLOW_TOOLS_MODE (default static); dynamic: three meta-tools
                               that search, describe and call the operations

Transport:
  --transport stdio|http       SEGMENTFLOW_MCP_TRANSPORT (default stdio)
  --host <host>                SEGMENTFLOW_MCP_HOST (default 127.0.0.1)
  --port <port>                SEGMENTFLOW_MCP_PORT (default ${DEFAULT_PORT})
  --http-token <token>         SEGMENTFLOW_MCP_HTTP_TOKEN; required for http, at least 16 characters
  --allowed-hosts <a,b>        SEGMENTFLOW_MCP_ALLOWED_HOSTS; Host names to answer besides loopback
  --byok                       SEGMENTFLOW_MCP_BYOK=1; each HTTP client sends its own SegmentFlow key
                               as its bearer token, and the server holds none

  -h, --help                   this text
  -v, --version                the version
`
}
