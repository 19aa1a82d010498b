// The peer in bench/run: a Slack Bolt for JavaScript app that receives the same signed Slack
// events as liaison-bot and handles them with a trivial listener. `botId` and `botUserId` are given
// and token verification is off, so it makes no network call. Bolt stores nothing: it verifies the
// signature, parses, acknowledges and runs the listener.
//
// Usage: BENCH_SLACK_SECRET=… node app.js PORT
const { App, LogLevel } = require('@slack/bolt');

const port = Number(process.argv[2] || 3000);
const app = new App({
  signingSecret: process.env.BENCH_SLACK_SECRET,
  token: 'xoxb-bench',
  botId: 'B0BENCH',
  botUserId: 'UBOT',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  endpoints: '/hooks/slack',
});

let handled = 0;
app.event('app_mention', async () => {
  handled += 1;
});

(async () => {
  await app.start({ port, host: '127.0.0.1' });
  console.log(`listening on http://127.0.0.1:${port} (Bolt ${require('@slack/bolt/package.json').version})`);
})();

process.on('SIGTERM', () => {
  console.log(`handled ${handled} events`);
  process.exit(0);
});
