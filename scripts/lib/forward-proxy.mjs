/**
 * A forward HTTP proxy on 127.0.0.1, as a company network puts between a server and the internet:
 * it tunnels `CONNECT host:port` and forwards absolute-form requests (`GET http://host/path`). It
 * records what it carried (the target and the method only: a tunnel's content is not its to read),
 * so a check can prove that a request went through it. Used by the proxy test and the snippet check.
 */
import { createServer, request as httpRequest } from 'node:http'
import { connect } from 'node:net'

export async function startForwardProxy() {
  /** @type {{ kind: 'connect' | 'forward', method: string, target: string }[]} */
  const carried = []
  const server = createServer((req, res) => {
    let target
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400).end('absolute-form request expected')
      return
    }
    carried.push({ kind: 'forward', method: req.method ?? 'GET', target: target.host })
    const headers = { ...req.headers }
    delete headers['proxy-connection']
    delete headers['proxy-authorization']
    const upstream = httpRequest(
      { host: target.hostname, port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  // Tunnels leave the HTTP server's bookkeeping: closeAllConnections() does not see them.
  const tunnels = new Set()
  server.on('connect', (req, socket, head) => {
    const [host, port] = (req.url ?? '').split(':')
    carried.push({ kind: 'connect', method: 'CONNECT', target: req.url ?? '' })
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(socket)
      socket.pipe(upstream)
    })
    tunnels.add(socket).add(upstream)
    const end = () => {
      upstream.destroy()
      socket.destroy()
      tunnels.delete(socket)
      tunnels.delete(upstream)
    }
    socket.on('close', end)
    upstream.on('error', () => {
      if (socket.writable) socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      end()
    })
    socket.on('error', end)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    carried,
    close: () =>
      new Promise((resolve) => {
        for (const socket of tunnels) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}
