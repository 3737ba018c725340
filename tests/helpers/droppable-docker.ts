import Dockerode from 'dockerode';
import http from 'node:http';
import net from 'node:net';

/**
 * A Docker client on the test engine whose connections the test can cut, like a dropped SSH
 * connection to a server: every request and stream goes through sockets this agent made (the way the
 * SSH transport gives dockerode its own agent), `drop(ms)` destroys them all and refuses new ones
 * for `ms` milliseconds.
 *
 *   const engine = droppableDocker(); ... engine.drop(4000); ... engine.docker.ping() // works again after 4 s
 */
export function droppableDocker(): { docker: Dockerode; drop(ms: number): void; readonly down: boolean } {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) throw new Error('These tests need DOCKER_HOST=unix://… (scripts/test-env.sh).');
  const socketPath = host.slice('unix://'.length);
  const sockets = new Set<net.Socket>();
  let downUntil = 0;
  const agent = new http.Agent({ keepAlive: false });
  (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => {
    const socket = net.connect(Date.now() < downUntil ? '/nonexistent/deit-studio-test.sock' : socketPath);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };
  const docker = new Dockerode({ protocol: 'http', host: 'engine.test', port: 80, agent } as Dockerode.DockerOptions);
  return {
    docker,
    drop(ms: number) {
      downUntil = Date.now() + ms;
      for (const socket of sockets) socket.destroy();
    },
    get down() {
      return Date.now() < downUntil;
    },
  };
}
