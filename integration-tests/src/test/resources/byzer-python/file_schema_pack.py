#%python
#%input=command
#%output=model_table
#%cache=true
#%schema=file
#%dataMode=model
#%env=:

# The Byzer-python tutorial's "directory as a table" cell, with the TensorFlow model save replaced by a directory given in conf.
import os
from pyjava.api.mlsql import PythonContext, RayContext
from pyjava.storage import streaming_tar

context: PythonContext = context
ray_context = RayContext.connect(globals(), None)
model_path = context.conf["model_dir"]
model_binary = [item for item in streaming_tar.build_rows_from_file(model_path)]
ray_context.build_result(model_binary)
