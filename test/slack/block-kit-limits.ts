import type { SlackMessage } from "../../src/adapters/slack/slack-api.js";

/** Slack's published limits for the blocks Whistlestop sends (api.slack.com/reference/block-kit). */
export const BLOCK_KIT = { blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, contextElements: 10, actions: 25, buttonText: 75, value: 2000, blockId: 255 } as const;

interface TextObject {
  readonly type: string;
  readonly text: string;
}
type AnyBlock = {
  type: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: Array<{ type: string; text?: TextObject | string; value?: string }>;
};

/**
 * Every way a message breaks Block Kit's limits, or carries mrkdwn that is not well formed (a
 * `<` without its `>`, an `&` that is not an entity): an empty list means Slack takes it.
 */
export function blockKitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const blocks = (message.blocks ?? []) as unknown as AnyBlock[];
  if (blocks.length > BLOCK_KIT.blocks) problems.push(`${blocks.length} blocks`);
  const check = (where: string, text: string | undefined, max: number, mrkdwn = true) => {
    if (text === undefined) return;
    if (text.length > max) problems.push(`${where}: ${text.length} characters (max ${max})`);
    if (!mrkdwn) return;
    if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push(`${where}: a bare & in mrkdwn`);
    if (!/^(?:[^<>]|<[^<>]+>)*$/s.test(text)) problems.push(`${where}: unbalanced < > in mrkdwn`);
  };
  blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    if (block.block_id && block.block_id.length > BLOCK_KIT.blockId) problems.push(`${at}: block_id too long`);
    if (block.type === "header") check(at, block.text?.text, BLOCK_KIT.header, false);
    if (block.type === "section") {
      check(at, block.text?.text, BLOCK_KIT.sectionText, block.text?.type === "mrkdwn");
      if ((block.fields?.length ?? 0) > BLOCK_KIT.fields) problems.push(`${at}: ${block.fields!.length} fields`);
      block.fields?.forEach((f, j) => check(`${at} field ${j}`, f.text, BLOCK_KIT.fieldText, f.type === "mrkdwn"));
    }
    if (block.type === "context") {
      if ((block.elements?.length ?? 0) > BLOCK_KIT.contextElements) problems.push(`${at}: ${block.elements!.length} elements`);
      block.elements?.forEach((e, j) => typeof e.text === "string" && check(`${at} element ${j}`, e.text, BLOCK_KIT.sectionText, e.type === "mrkdwn"));
    }
    if (block.type === "actions") {
      if ((block.elements?.length ?? 0) > BLOCK_KIT.actions) problems.push(`${at}: ${block.elements!.length} elements`);
      block.elements?.forEach((e, j) => {
        if (typeof e.text === "object") check(`${at} button ${j}`, e.text.text, BLOCK_KIT.buttonText, false);
        if (e.value && e.value.length > BLOCK_KIT.value) problems.push(`${at} button ${j}: value too long`);
      });
    }
  });
  return problems;
}
