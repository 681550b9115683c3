// A TCP pass-through between the browser and a server, whose open connections a test can cut at will
// (a dropped network, as the browser sees it, without touching the server).
import { createConnection, createServer } from 'node:net'

export async function startTcpProxy(targetUrl) {
  const target = new URL(targetUrl)
  const sockets = new Set()
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) })
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
