// Baseline (a): the HTTP floor of this machine. A bare Koa route returning a small JSON, one process.
import { createServer } from 'node:http';
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = { status: 'ok', seats: 5090 };
});
createServer(app.callback()).listen(Number(process.env.PORT), '127.0.0.1');
