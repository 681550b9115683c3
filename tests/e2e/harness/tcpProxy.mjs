// A TCP pass-through between the browser and a server, whose open connections a test can cut at will
// (a dropped network, as the browser sees it, without touching the server).
import { createConnection, createServer } from 'node:net'

export async function startTcpProxy(targetUrl) {
  const target = new URL(targetUrl)
  const sockets = new Set()
  /** The head of every HTTP request that went through: {method, path, headers} (lower-case names). */
  const requests = []
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) })
    sniffRequests(client, requests)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {})
    }
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Destroys every open connection; returns how many were cut. */
    cut() {
      const count = sockets.size
      for (const socket of sockets) socket.destroy()
      return count
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(resolve)
      }),
  }
}

/** Records each request head on a connection (keep-alive may carry several); bodies are skipped well enough for GETs. */
function sniffRequests(client, requests) {
  let buffered = ''
  client.on('data', (chunk) => {
    buffered += chunk.toString('latin1')
    for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
      const [line, ...fields] = buffered.slice(0, end).split('\r\n')
      buffered = buffered.slice(end + 4)
      const [method, path] = line.split(' ')
      if (!/^[A-Z]+$/.test(method ?? '')) continue
      const headers = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]))
      requests.push({ method, path, headers })
    }
  })
}
