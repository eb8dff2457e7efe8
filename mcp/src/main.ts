/**
 * The command line: parse, then list scopes or serve over stdio or HTTP. Returns the exit code
 * rather than exiting, so that tests drive it in process.
 */
import type { Logger } from '@segmentflow/segmentflow-typescript'
import { streamAudit } from './audit.ts'
import { ConfigError, parseCommand, type ServerConfig, type TransportConfig } from './config.ts'
import type { Gateway } from './gateway.ts'
import { renderScopes } from './list-scopes.ts'
import { enabledTools } from './policy.ts'
import { SdkGateway } from './sdk-gateway.ts'
import { Toolbox } from './toolbox.ts'
import { startHttpServer } from './transports/http.ts'
import { runStdio } from './transports/stdio.ts'
import { usage } from './usage.ts'
import { VERSION } from './version.ts'

export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  readonly stopSignal: () => Promise<void>
}

export async function run(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Io): Promise<number> {
  let command
  try {
    command = parseCommand(argv, env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    io.stderr(`segmentflow-mcp: ${error.message}\n`)
    return 2
  }
  if (command.kind === 'help') {
    io.stdout(usage())
    return 0
  }
  if (command.kind === 'version') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  for (const warning of command.warnings) io.stderr(`segmentflow-mcp: warning: ${warning}\n`)
  if (command.kind === 'list-scopes') {
    io.stdout(renderScopes(command.config, command.json))
    return 0
  }

  const { config, transport } = command
  const logger = stderrLogger(io.stderr)
  const gateway = transport.byok ? noKeyGateway : await createGateway(config, logger)
  const toolbox = new Toolbox({ config, gateway, audit: streamAudit(io.stderr) })
  io.stderr(`segmentflow-mcp: ${banner(config, transport)}\n`)

  if (transport.transport === 'stdio') {
    await runStdio(toolbox, config)
    return 0
  }
  const running = await startHttpServer(toolbox, config, transport, {
    onError: (error) => io.stderr(`segmentflow-mcp: HTTP request failed: ${error instanceof Error ? error.message : String(error)}\n`),
    ...(transport.byok ? { gatewayFor: (apiKey: string) => new SdkGateway({ apiKey, baseURL: config.baseURL, logger }) } : {}),
  })
  const credential = transport.byok ? 'your SegmentFlow API key' : 'token'
  io.stderr(`segmentflow-mcp: listening on ${running.url} (send "Authorization: Bearer <${credential}>")\n`)
  await io.stopSignal()
  await running.close()
  return 0
}

async function createGateway(config: ServerConfig, logger: Logger): Promise<Gateway> {
  if (config.sandbox) {
    // Loaded only here: the sandbox is a development aid, not part of a production start.
    const { sandboxGateway } = await import('./sandbox.ts')
    return sandboxGateway(logger)
  }
  return new SdkGateway({ apiKey: config.apiKey as string, baseURL: config.baseURL, logger })
}

/** `--byok` holds no key: every request brings its own gateway, so this one is never reached. */
const noKeyGateway: Gateway = {
  call: () => Promise.reject(new Error('No API key: with --byok every request brings its own')),
  render: () => Promise.reject(new Error('No API key: with --byok every request brings its own')),
}

function stderrLogger(write: (text: string) => void): Logger {
  const line = (level: string) => (message: string, ...rest: unknown[]) =>
    write(`segmentflow-mcp: sdk ${level}: ${[message, ...rest.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))].join(' ')}\n`)
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
}

function banner(config: ServerConfig, transport: TransportConfig): string {
  const count = enabledTools(config).length
  const against = config.sandbox
    ? 'the embedded sandbox (nothing leaves this process)'
    : `${config.baseURL}${transport.byok ? " with each client's own key" : ''}`
  const modes = [config.readOnly ? 'read-only' : '', config.allowSends ? 'sends allowed' : 'sends off'].filter(Boolean).join(', ')
  return `${VERSION} serving ${count} tools over ${transport.transport} against ${against} (${modes})`
}
