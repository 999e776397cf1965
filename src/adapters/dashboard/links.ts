/** Links out of the dashboard: GitHub, the Slack thread. The pipeline's own comes from the Pipeline port. */
export const commitUrl = (githubUrl: string, repo: string, sha: string): string => `${githubUrl}/${repo}/commit/${sha}`;
export const pullUrl = (githubUrl: string, repo: string, pr: number): string => `${githubUrl}/${repo}/pull/${pr}`;

/** Slack opens a message from its channel and timestamp (the dot dropped) in whichever workspace holds it. */
export const slackThreadUrl = (channel: string, ts: string): string => `https://slack.com/archives/${channel}/p${ts.replace(".", "")}`;
