// Reference server for bench/serve-storm.sh: plain express.static over a directory (no cache of its own).
import express from 'express';

const [root, port] = process.argv.slice(2);
const app = express();
app.use(express.static(root, { immutable: true, maxAge: '1y' }));
app.listen(Number(port), '127.0.0.1');
