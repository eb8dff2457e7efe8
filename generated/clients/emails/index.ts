export * from "./batchSendEmails.ts";
export * from "./emails.ts";
export * from "./retrieveEmail.ts";
export * from "./sendEmail.ts";