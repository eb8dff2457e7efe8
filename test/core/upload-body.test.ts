import { describe, expect, it } from 'vitest'

import { ValidationError } from '../../src/index.ts'
import { contentTypeFromFilename, toUploadBody } from '../../src/core/upload-body.ts'

function streamOf(chunks: unknown[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk as Uint8Array)
      controller.close()
    },
  })
}

describe('upload bodies', () => {
  it('reads a stream of any byte chunks into one buffer', async () => {
    const body = await toUploadBody(streamOf([new Uint8Array([1, 2]), new Uint16Array([0x0403]), new Uint8Array([5]).buffer]), 5)
    expect(body).toEqual(new Uint8Array([1, 2, 3, 4, 5]))
  })

  it('refuses a stream of strings: they have no byte length until encoded', async () => {
    await expect(toUploadBody(streamOf(['text']), 4)).rejects.toBeInstanceOf(ValidationError)
  })

  it('stops reading a stream when aborted', async () => {
    const controller = new AbortController()
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        controller.abort(new Error('stop'))
        c.enqueue(new Uint8Array([1]))
      },
    })
    await expect(toUploadBody(stream, 10, controller.signal)).rejects.toThrow('stop')
  })

  it('copies a view on a SharedArrayBuffer, which fetch refuses', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4))
    shared.set([1, 2, 3, 4])
    const body = await toUploadBody(shared.subarray(1, 3), 2)
    expect(body).toEqual(new Uint8Array([2, 3]))
    expect((body as Uint8Array).buffer).toBeInstanceOf(ArrayBuffer)
  })

  it('passes a Blob through untouched and views a typed array without copying', async () => {
    const blob = new Blob(['abc'])
    expect(await toUploadBody(blob, 3)).toBe(blob)
    const buffer = Buffer.from('hello world').subarray(6)
    const body = (await toUploadBody(buffer, 5)) as Uint8Array
    expect(body.buffer).toBe(buffer.buffer)
    expect(new TextDecoder().decode(body)).toBe('world')
  })

  it('knows the types the API takes by extension only', () => {
    expect(contentTypeFromFilename('a.PNG')).toBe('image/png')
    expect(contentTypeFromFilename('archive.tar.gz')).toBeUndefined()
    expect(contentTypeFromFilename('README')).toBeUndefined()
  })
})
