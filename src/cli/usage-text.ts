/** `whistlestop --help`. The server's own `help` lists what the caller may do. */
export const USAGE_TEXT = `whistlestop — deploy through a Whistlestop server from a terminal or a script

Commands (sent to the server's HTTP API; grammar as in Slack and GitHub):
  whistlestop deploy <service> [to] <env> [<ref>] [--yes] [--force] [--reason "<text>"]
  whistlestop rollback <service> <env> [to <deploy-id|sha>] [--yes] [--force] [--reason "<text>"]
  whistlestop lock <service|all> <env|all> [for <duration> | until <time>] [--reason "<text>"]
  whistlestop unlock <service|all> <env|all> [--force]
  whistlestop deploys [<service>] [<env>]     what is live where, running, queued, locked
  whistlestop cancel <service> <env>          stop the running deploy or drop your queued one
  whistlestop windows [<env>]                 current and next critical windows
  whistlestop approve <deploy-id>             approve a deploy that awaits approval (not your own)
  whistlestop reject <deploy-id> [--reason "<text>"]   reject it, or withdraw your own
  whistlestop diff <service> <env> [<ref>]    what a deploy would ship, and whether it would go now; starts nothing
  whistlestop status <service>                each environment: live release and PR, running stage, queue, lock, windows
  whistlestop status <deploy-id> [--follow]   one deploy (ids start with d-); --follow streams it to the end
  whistlestop help                            what you may do, as the server sees your token
  whistlestop audit [--service S] [--env E] [--actor A] [--since 24h|<time>] [--limit N]
                                              admins: who did what, newest first (default 50 entries)

Running Whistlestop:
  whistlestop start                           the server, against AWS CodePipeline (needs AWS_REGION)
  whistlestop sandbox                         a complete local system: CodePipeline emulator, SQLite, a printed API token
  whistlestop sandbox alarm <name> ALARM|OK   set a CloudWatch alarm in the running sandbox (a verifying deploy sees it)
  whistlestop emulator                        the CodePipeline emulator on its own
  whistlestop config check [file]             validate whistlestop.yml (default: $WHISTLESTOP_CONFIG or ./whistlestop.yml)
  whistlestop migrate                         bring the store's schema up to date (DATABASE_URL or WHISTLESTOP_DB) and exit
  whistlestop backup <file>                   copy the live SQLite store into a new file (PostgreSQL: use pg_dump)
  whistlestop sessions [revoke <who>]         list the dashboard's sign-ins, or revoke one (ds-…), a login's, or all

Options:
  --server URL   server to talk to (default: $WHISTLESTOP_SERVER, else the sandbox's data/sandbox.json, else http://127.0.0.1:3000)
  --token T      API token (default: $WHISTLESTOP_TOKEN, else the sandbox's data/sandbox.json)
  --json         print JSON: the command's result, then one line per progress update
  --no-follow    return once the deploy is accepted instead of streaming its progress
  -h, --help     this text

Deploys to an environment with "confirm: true" ask before starting when run in a terminal;
scripts pass --yes. The sandbox's data directory is $WHISTLESTOP_DATA_DIR or ./data.

Exit codes: 0 done or succeeded · 1 deploy failed or cancelled · 2 refused · 3 usage or connection error
`;
