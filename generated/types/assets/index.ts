export type * from "./CreateAsset.ts";
export type * from "./CreateAssetUploadUrl.ts";
export type * from "./DeleteAsset.ts";
export type * from "./FinalizeAsset.ts";
export type * from "./ListAssets.ts";
export type * from "./RetrieveAsset.ts";
export type * from "./UpdateAsset.ts";