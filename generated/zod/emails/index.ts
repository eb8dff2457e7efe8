export * from "./batchSendEmailsSchema.ts";
export * from "./retrieveEmailSchema.ts";
export * from "./sendEmailSchema.ts";