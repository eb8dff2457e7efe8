export type * from "./BatchSendEmails.ts";
export type * from "./RetrieveEmail.ts";
export type * from "./SendEmail.ts";