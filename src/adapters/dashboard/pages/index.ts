import type { DashboardPage } from "../page.js";
import { auditPage } from "./audit-page.js";
import { boardPage } from "./board-page.js";
import { deployPage } from "./deploy-page.js";
import { deploysPage } from "./deploys-page.js";
import { doraPage } from "./dora-page.js";
import { locksPage } from "./locks-page.js";
import { windowsPage } from "./windows-page.js";

/** Every page of the dashboard, in the order of the navigation. A new page is one module and one line here. */
export const PAGES: readonly DashboardPage[] = [boardPage, deploysPage, deployPage, locksPage, windowsPage, auditPage, doraPage];
