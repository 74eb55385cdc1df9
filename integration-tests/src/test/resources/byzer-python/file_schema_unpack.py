#%python
#%input=model_table
#%schema=st(field(files,long))
#%dataMode=model
#%env=:

# The way back: a table of file chunks (read from Delta) rebuilt as a directory.
import os
from pyjava.api.mlsql import PythonContext, RayContext
from pyjava.storage import streaming_tar

context: PythonContext = context
ray_context = RayContext.connect(globals(), None)
target = context.conf["restore_dir"]
streaming_tar.save_rows_as_file(ray_context.collect(), target)
context.build_result([{"files": sum(len(files) for _, _, files in os.walk(target))}])
