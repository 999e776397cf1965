import { uniqueViolationRejectsWithAnError } from "./unique-violation.js";

uniqueViolationRejectsWithAnError();
