#%python
#%input=data
#%schema=st(field(count,long))
#%env=source /opt/miniconda3/bin/activate ray1.8.0

import ray
from pyjava.api.mlsql import PythonContext, RayContext
from pyjava import rayfix
from typing import List

context: PythonContext = context

ray_contex = RayContext.connect(globals(), "127.0.0.1:10001")

data_refs:List[str] = ray_contex.data_servers()

@ray.remote(num_cpus=8,num_gpus=1)
@rayfix.last
def count_worker(data_ref:str):
    data = RayContext.collect_from([data_ref])
    counter = 0
    for _ in data:
        counter += 1
    return counter    

job_refs = [count_worker.remote(data_ref) for data_ref in data_refs ]
sums = [ray.get(job_ref) for job_ref in job_refs]
final_count = sum(sums)
context.build_result([{"count":final_count}])
