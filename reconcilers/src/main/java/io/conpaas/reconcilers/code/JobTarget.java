package io.conpaas.reconcilers.code;

import io.conpaas.api.v1alpha1.CodeUploadSpec;
import java.io.InputStream;

/** Where a MapReduceService upload goes (its master agent): a job jar to run, or a data file for HDFS. */
public interface JobTarget {
  /** Hands the upload to the service and answers with the HTTP status and JSON body to relay to the uploader. */
  CodeUploadReceiver.Answer accept(String namespace, CodeUploadSpec spec, InputStream body, long length);

  /** A target that refuses every job (an operator built without MapReduceService). */
  JobTarget NONE = (ns, spec, body, length) -> CodeUploadReceiver.Answer.error(501,
      "this operator does not run MapReduce jobs");
}
