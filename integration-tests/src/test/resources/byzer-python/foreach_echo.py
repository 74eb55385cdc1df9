#%env=source /usr/local/Caskroom/miniconda/base/bin/activate dev2
#%python
#%input=data
#%dataMode=data
#%schema=st(field(ProductName,string),field(SubProduct,string))
from pyjava.api.mlsql import RayContext,PythonContext

context:PythonContext = context
ray_context = RayContext.connect(globals(),"127.0.0.1:10001")
def echo(row):
    row1 = {}
    row1["ProductName"]=str(row['Busn_A'])+'_jackm'
    row1["SubProduct"] = str(row['Busn_B'])+'_product'
    return row1

buffer = ray_context.foreach(echo)
