#%python
#%input=mockTable
#%output=mockTable2
#%schema=st(field(a,long))
#%runIn=driver
#%dataMode=model
#%cache=true
#%env=source /opt/miniconda3/bin/activate ray1.8.0

from pyjava.api.mlsql import PythonContext,RayContext

# type hint
context:PythonContext = context

ray_context = RayContext.connect(globals(),None)

def add_one():
    for item in ray_context.collect():
        item["a"] = item["a"] + 1
        yield item

context.build_result(add_one())
