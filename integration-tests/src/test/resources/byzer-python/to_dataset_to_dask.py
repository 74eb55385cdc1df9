#%python
#%input=mockData
#%schema=st(field(count,long))
#%runIn=driver
#%mode=model
#%env=source /opt/miniconda3/bin/activate ray1.8.0

from pyjava.api.mlsql import PythonContext,RayContext

# type hint
context:PythonContext = context

ray_context = RayContext.connect(globals(),"127.0.0.1:10001")
df = ray_context.to_dataset().to_dask()
c = df.shape[0].compute()

context.build_result([{"count":c}])
