package dev.lake.testing;

import com.google.common.hash.HashCode;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.domain.MultipartPart;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.blobstore.options.GetOptions;
import org.gaul.s3proxy.blobstore.options.PutOptions;

/**
 * Wraps S3Proxy's store so that a share of writes and reads fail while faults are on; S3Proxy
 * answers those requests with a 5xx, as an overloaded S3 does. Thread-safe.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {
  private volatile double failureRate;
  private final AtomicLong failures = new AtomicLong();

  public FaultyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** Share of requests that fail from now on (0 turns faults off). */
  public void failureRate(double rate) {
    this.failureRate = rate;
  }

  /** Requests failed so far. */
  public long failures() {
    return failures.get();
  }

  private void maybeFail() {
    if (ThreadLocalRandom.current().nextDouble() < failureRate) {
      failures.incrementAndGet();
      throw new IllegalStateException("injected storage fault");
    }
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    maybeFail();
    return super.putBlob(container, blob, options);
  }

  @Override
  public Blob getBlob(String container, String name, GetOptions options) {
    maybeFail();
    return super.getBlob(container, name, options);
  }

  @Override
  public MultipartPart uploadMultipartPart(
      MultipartUpload upload, int part, InputStream data, long length, HashCode hash) {
    maybeFail();
    return super.uploadMultipartPart(upload, part, data, length, hash);
  }

  @Override
  public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
    maybeFail();
    return super.completeMultipartUpload(upload, parts);
  }
}
