/** The in-memory blob store under the contract every adapter meets. */
import * as MemoryBlobStore from "../../src/Blobs/MemoryBlobStore.js"
import { contract } from "./BlobStoreContract.js"

contract("memory", MemoryBlobStore.layer)
